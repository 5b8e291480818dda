"""`Project.set_status` on an image whose recovery log holds commits not in its mask file writes
two things: a status record in the log (the next opening applies the log, its last status winning)
and a journal line. The order is such that a failure at any point leaves a state the next opening
reads as the caller was told: the log record first (it fails: nothing written, raised), then the
journal line (it fails: the record is taken back, raised; it cannot be taken back: raised, and the
status stays set, since the next opening applies it)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation import storage
from fosp_core.annotation.project import JOURNAL_FILE, Project, ProjectSaveError
from fosp_core.annotation.recovery import encode_record, log_path, read_log
from fosp_core.annotation.storage import StorageError
from tests.unit.recovery_project import SHAPE, one_image_project


def _appends(patch: pytest.MonkeyPatch, full: str = "", kill: str = "") -> list[str]:
    """Every durable append (`fosp_core.annotation.storage.append_durable`) seen: the names of the
    files appended to, in order; the one to the file named `full` raises disk full (ENOSPC), the
    one to `kill` a `Killed` (the process ends there)."""
    real = storage.append_durable
    seen: list[str] = []

    def append(path: Path, line: bytes, **kwargs: object) -> None:
        name = Path(path).name
        seen.append(name)
        if name == full:
            raise OSError(errno.ENOSPC, "No space left on device")
        if name == kill:
            raise Killed
        real(path, line, **kwargs)

    patch.setattr(storage, "append_durable", append)
    return seen


class Killed(BaseException):
    """A kill -9 between two writes, as far as the files are concerned."""


def _full_mask_disk(patch: pytest.MonkeyPatch) -> None:
    real = project_module.atomic_write

    def full(path: Path, payload: bytes, **kwargs: object) -> None:
        if Path(path).name == "img.png":
            raise StorageError(path, "cannot write: disk full", 28)
        real(path, payload, **kwargs)

    patch.setattr(project_module, "atomic_write", full)


@pytest.fixture()
def pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The project opened with a log (status reviewed) whose save failed on opening (`pending_logs`)."""
    folder = one_image_project(tmp_path)
    mask = np.zeros(SHAPE, np.uint8)
    mask[10:30, 10:40] = 1
    log_path(folder / ".fosp" / "masks" / "img.png").write_bytes(encode_record(mask, (0, 40, 0, 50), "reviewed"))
    with monkeypatch.context() as patch:
        _full_mask_disk(patch)
        project = Project.open(folder)
    assert project.pending_logs == ["img"]
    yield project
    project.close()


def _journaled_status(project: Project) -> str | None:
    """The status of img in the journal's last line about it (None: no line)."""
    path = project.folder / JOURNAL_FILE
    lines = path.read_bytes().splitlines() if path.exists() else []
    found = [json.loads(line)["entry"]["status"] for line in lines if json.loads(line)["entry"]["id"] == "img"]
    return found[-1] if found else None


def _reopened_status(project: Project) -> str:
    project.close()
    with Project.open(project.images_root) as again:
        return again.entry("img").status.value


def test_the_log_record_is_written_before_the_journal_line(pending: Project, monkeypatch) -> None:
    log = log_path(pending.mask_path("img"))
    with monkeypatch.context() as patch:
        seen = _appends(patch)
        pending.set_status("img", "edited")
    assert seen == [log.name, JOURNAL_FILE]
    assert _journaled_status(pending) == "edited"
    assert _reopened_status(pending) == "edited"


def test_a_log_write_that_fails_leaves_the_journal_as_it_was(pending: Project, monkeypatch) -> None:
    before = _journaled_status(pending)
    log = log_path(pending.mask_path("img"))
    with monkeypatch.context() as patch:
        _appends(patch, full=log.name)
        with pytest.raises(ProjectSaveError, match="disk full"):
            pending.set_status("img", "edited")
    assert pending.entry("img").status.value == "reviewed"
    assert _journaled_status(pending) == before  # not "edited": the journal never runs ahead of the log
    assert [r.status for r in read_log(log)] == ["reviewed"]
    assert _reopened_status(pending) == "reviewed"


def test_a_journal_write_that_fails_takes_the_log_record_back(pending: Project, monkeypatch) -> None:
    log = log_path(pending.mask_path("img"))
    before = log.read_bytes()
    with monkeypatch.context() as patch:
        _appends(patch, full=JOURNAL_FILE)
        with pytest.raises(ProjectSaveError, match="disk full"):
            pending.set_status("img", "edited")
    assert log.read_bytes() == before
    assert pending.entry("img").status.value == "reviewed"
    assert _reopened_status(pending) == "reviewed"


def test_a_record_that_cannot_be_taken_back_is_told_and_the_status_stays(pending: Project, monkeypatch) -> None:
    """The journal line fails and the log cannot be cut back (an I/O error): the caller is told that
    the next opening applies the status, and the project shows it already."""
    log = log_path(pending.mask_path("img"))
    with monkeypatch.context() as patch:
        _appends(patch, full=JOURNAL_FILE)

        def broken(*args: object) -> None:
            raise OSError(5, "Input/output error")

        patch.setattr(os, "ftruncate", broken)
        with pytest.raises(ProjectSaveError, match="next opening") as caught:
            pending.set_status("img", "edited")
    assert "disk full" in str(caught.value)
    assert [r.status for r in read_log(log)] == ["reviewed", "edited"]
    assert pending.entry("img").status.value == "edited"
    assert _reopened_status(pending) == "edited"


def test_a_kill_between_the_two_writes_is_read_as_the_new_status(pending: Project, monkeypatch) -> None:
    """A kill after the log record, before the journal line (the call had not returned): the next
    opening applies the log and finds the new status, whole, with no problem to tell."""
    with monkeypatch.context() as patch:
        _appends(patch, kill=JOURNAL_FILE)
        with pytest.raises(Killed):
            pending.set_status("img", "edited")
    pending.lock.release()  # the process is gone: nothing more of it runs
    pending.lock = None
    with Project.open(pending.images_root) as again:
        assert again.recovery_problems == []
        assert again.entry("img").status.value == "edited"
        assert _journaled_status(again) is None  # the journal was folded into project.json


def test_set_status_without_a_log_writes_the_journal_alone(tmp_path: Path) -> None:
    folder = one_image_project(tmp_path)
    with Project.open(folder) as project:
        project.set_status("img", "reviewed")
        assert _journaled_status(project) == "reviewed"
        assert not log_path(project.mask_path("img")).exists()
    assert not os.path.exists(folder / ".fosp" / "masks" / "img.png.recovery")
