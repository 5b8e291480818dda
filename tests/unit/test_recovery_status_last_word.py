"""`Project.set_status` (the public core API, a script's call) on an image whose recovery log holds
commits not in its mask file: the status set last is the one the next opening finds, not the log's
last record's (the log is applied on opening with the status it ends with). Both kinds of such a
log: one whose save failed when the project was opened (`Project.pending_logs`), and one of this
project's own background save that failed (disk full)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, status_saves, tools
from fosp_core.annotation import project as project_module
from fosp_core.annotation.project import Project, ProjectSaveError
from fosp_core.annotation.recovery import encode_record, log_path, read_log
from fosp_core.annotation.storage import StorageError
from tests.unit.crash_worker import mask_hash
from tests.unit.recovery_project import SHAPE, one_image_project


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A project of one 40x50 image, its mask file saved (status edited), closed."""
    return one_image_project(tmp_path)


def _full_disk_for(monkeypatch: pytest.MonkeyPatch, module: object, name: str = "img.png") -> None:
    real = module.atomic_write  # type: ignore[attr-defined]

    def full(path: Path, payload: bytes, **kwargs: object) -> None:
        if Path(path).name == name:
            raise StorageError(path, "cannot write: disk full", 28)
        real(path, payload, **kwargs)

    monkeypatch.setattr(module, "atomic_write", full)


def _pending_project(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, np.ndarray]:
    """The project opened with a log (status reviewed) whose save fails on opening: pending."""
    mask = np.zeros(SHAPE, np.uint8)
    mask[10:30, 10:40] = 1
    log_path(folder / ".fosp" / "masks" / "img.png").write_bytes(encode_record(mask, (0, 40, 0, 50), "reviewed"))
    with monkeypatch.context() as patch:
        _full_disk_for(patch, project_module)
        project = Project.open(folder)
    assert project.pending_logs == ["img"] and project.entry("img").status.value == "reviewed"
    return project, mask


def _reopened(folder: Path) -> tuple[str, str]:
    """(status, mask hash) after opening the project again (its logs applied), and no log left."""
    with Project.open(folder) as project:
        assert project.recovery_problems == []
        state = project.entry("img").status.value, mask_hash(project.load_mask("img"))
    assert not log_path(folder / ".fosp" / "masks" / "img.png").exists()
    return state


def test_set_status_over_a_log_whose_save_failed_on_opening_is_the_last_word(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, mask = _pending_project(folder, monkeypatch)
    try:
        project.set_status("img", "edited")
        assert project.entry("img").status.value == "edited"
    finally:
        project.close()
    assert _reopened(folder) == ("edited", mask_hash(mask))  # the log's mask, the script's status


def test_the_last_of_several_set_status_wins(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, mask = _pending_project(folder, monkeypatch)
    try:
        for status in ("unlabeled", "reviewed", "predicted"):
            project.set_status("img", status)
    finally:
        project.close()
    assert _reopened(folder) == ("predicted", mask_hash(mask))


def test_set_status_over_a_background_save_that_failed_is_the_last_word(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(folder)
    try:
        project.save_in_background = True
        doc = project.open_document("img")
        with monkeypatch.context() as patch:
            _full_disk_for(patch, mask_saves)
            tools.brush(doc, [(30.0, 30.0), (45.0, 35.0)], 3.0)
            doc.set_status("reviewed")
            project.finish_saves(wait=True)
        want = doc.mask.copy()
        assert not project.is_saved(doc)
        project.set_status("img", "edited")  # a script, while the app's PNG write failed
    finally:
        project.close()
    assert _reopened(folder) == ("edited", mask_hash(want))


def test_set_status_without_a_log_writes_none(folder: Path) -> None:
    with Project.open(folder) as project:
        project.set_status("img", "reviewed")
    assert not log_path(folder / ".fosp" / "masks" / "img.png").exists()
    with Project.open(folder) as project:
        assert project.entry("img").status.value == "reviewed"


def test_a_status_that_cannot_be_logged_is_not_set(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The status record cannot be appended (disk full): set_status raises and the status the
    project shows, and finds on the next opening, is the one before."""
    project, mask = _pending_project(folder, monkeypatch)
    log = log_path(project.mask_path("img"))
    before = log.read_bytes()
    try:
        real = status_saves.append_record

        def full(path: Path, line: bytes, **kwargs: object) -> None:
            if Path(path) == log:
                raise StorageError(path, "cannot write: disk full", 28)
            real(path, line, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(status_saves, "append_record", full)
            with pytest.raises(ProjectSaveError, match="disk full"):
                project.set_status("img", "edited")
        assert project.entry("img").status.value == "reviewed"
        assert log.read_bytes() == before
        assert [r.status for r in read_log(log)] == ["reviewed"]
    finally:
        project.close()
    assert _reopened(folder) == ("reviewed", mask_hash(mask))


def test_set_status_over_a_pending_log_with_a_bad_record_is_the_last_word(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log has a bad record after its good one (kept, its save failed on opening): a status
    record appended after the bad one would never be read; the status still wins."""
    import json

    mask = np.zeros(SHAPE, np.uint8)
    mask[10:30, 10:40] = 1
    bad = json.loads(encode_record(mask, (0, 3, 0, 3), "reviewed"))
    bad["rect"] = [30, 60, 0, 10]  # past its mask's 40 rows
    log = log_path(folder / ".fosp" / "masks" / "img.png")
    log.write_bytes(encode_record(mask, (0, 40, 0, 50), "reviewed") + json.dumps(bad).encode() + b"\n")
    with monkeypatch.context() as patch:
        _full_disk_for(patch, project_module)
        project = Project.open(folder)
    try:
        assert project.pending_logs == ["img"]
        project.set_status("img", "edited")
    finally:
        project.close()
    with Project.open(folder) as again:
        assert again.entry("img").status.value == "edited"
        assert mask_hash(again.load_mask("img")) == mask_hash(mask)
    assert not log.exists()
