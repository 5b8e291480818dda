"""A recovery log set aside while it stays live (a bad record after good ones, its save failed on
opening: `set_aside(keep=True)`, a hard link) keeps the bytes it was set aside with: cutting the
live log's torn last line off, or appending to it (a script's `set_status`, a stroke), writes on a
copy of its own first, never on the set-aside file, which lists records NOT applied. Where that
copy cannot be written (disk full), the write fails as any write would, and nothing is lost."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation import project as project_module
from fosp_core.annotation.project import Project, ProjectSaveError
from fosp_core.annotation.recovery import encode_record, log_path, read_log_checked, unapplied_logs
from fosp_core.annotation.storage import StorageError
from fosp_core.io import atomic
from tests.unit.crash_worker import mask_hash
from tests.unit.recovery_project import SHAPE, one_image_project


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A project of one 40x50 image, its mask file saved (status edited), closed."""
    return one_image_project(tmp_path)


def _full_png(patch: pytest.MonkeyPatch, module: object) -> None:
    """The mask PNG cannot be written (disk full); every other file can."""
    real = module.atomic_write  # type: ignore[attr-defined]

    def full(path: Path, payload: bytes, **kwargs: object) -> None:
        if Path(path).name == "img.png":
            raise StorageError(path, "cannot write: disk full", errno.ENOSPC)
        real(path, payload, **kwargs)

    patch.setattr(module, "atomic_write", full)


def _full_for_logs(patch: pytest.MonkeyPatch) -> None:
    """A full disk for every write into a recovery log or a temporary file of one (as
    tests/unit/test_atomic.py fakes ENOSPC: each write stores 3 bytes, then fails)."""
    real = atomic._write_chunk

    def full(fd: int, data: memoryview) -> int:
        if ".recovery" in os.readlink(f"/proc/self/fd/{fd}"):
            os.write(fd, data[:3])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    patch.setattr(atomic, "_write_chunk", full)


def _log(folder: Path) -> Path:
    return log_path(folder / ".fosp" / "masks" / "img.png")


def _aside(folder: Path) -> list[Path]:
    return [k.path for k in unapplied_logs(folder / ".fosp" / "masks")]


def _bad_log(folder: Path, *, torn: bool) -> tuple[bytes, bytes, np.ndarray]:
    """Write a log: a good whole-mask record (status reviewed), a bad one, and (`torn`) half of a
    third append; (its bytes, the bytes up to the torn line, the good record's mask)."""
    first = np.zeros(SHAPE, np.uint8)
    first[10:30, 10:40] = 1
    bad = json.loads(encode_record(first, (0, 3, 0, 3), "reviewed"))
    bad["rect"] = [30, 60, 0, 10]  # past its mask's 40 rows
    good = encode_record(first, (0, 40, 0, 50), "reviewed") + json.dumps(bad).encode() + b"\n"
    tail = encode_record(first, (0, 5, 0, 5), "edited")[:40] if torn else b""
    _log(folder).write_bytes(good + tail)
    return good + tail, good, first


def _open_png_full(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    with monkeypatch.context() as patch:
        _full_png(patch, project_module)
        project = Project.open(folder)
    assert project.pending_logs == ["img"]
    return project


def test_cutting_the_torn_line_and_appending_leave_the_set_aside_bytes(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, good, first = _bad_log(folder, torn=True)
    project = _open_png_full(folder, monkeypatch)
    try:
        assert [p.read_bytes() for p in _aside(folder)] == [data]  # the torn line kept where set aside
        assert _log(folder).read_bytes() == good  # the live log cut back to its records
        project.set_status("img", "edited")  # a script: appended to the live log
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        live = _log(folder).read_bytes()
        assert live.startswith(good) and len(live) > len(good)
        assert os.stat(_log(folder)).st_nlink == 1
    finally:
        project.close()
    project = _open_png_full(folder, monkeypatch)  # a second opening, disk still full: no second copy
    project.close()
    assert [p.read_bytes() for p in _aside(folder)] == [data]
    with Project.open(folder) as project:  # room again
        assert project.recovered == ["img"]
        assert project.entry("img").status.value == "edited"
        assert mask_hash(project.load_mask("img")) == mask_hash(first)
    assert not _log(folder).exists()
    assert [p.read_bytes() for p in _aside(folder)] == [data]


def test_openings_that_fail_again_set_the_log_aside_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first opening gave the live log a copy of its own (cut back to its records): the next
    one finds all of its bytes in the file set aside already, and sets none aside again."""
    data, good, first = _bad_log(folder, torn=True)
    for _ in range(2):
        _open_png_full(folder, monkeypatch).close()
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        assert _log(folder).read_bytes() == good
    with Project.open(folder) as project:  # room again
        assert project.recovered == ["img"]
        assert mask_hash(project.load_mask("img")) == mask_hash(first)
    assert [p.read_bytes() for p in _aside(folder)] == [data]


def test_a_stroke_on_a_set_aside_log_is_not_written_into_the_set_aside_file(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, good, _ = _bad_log(folder, torn=False)
    project = _open_png_full(folder, monkeypatch)
    try:
        project.save_in_background = True
        doc = project.open_document("img")
        with monkeypatch.context() as patch:
            _full_png(patch, mask_saves)  # the PNG still cannot be written: the log stays
            tools.brush(doc, [(30.0, 30.0), (45.0, 35.0)], 3.0)
            project.finish_saves(wait=True)
        want = doc.mask.copy()
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        live = _log(folder).read_bytes()
        assert live.startswith(good) and len(live) > len(good)  # the good records, the stroke after them
        assert read_log_checked(_log(folder)).records[-1].status == "edited"
    finally:
        project.close()
    with Project.open(folder) as project:  # room again
        assert project.recovered == ["img"]
        assert mask_hash(project.load_mask("img")) == mask_hash(want)
    assert [p.read_bytes() for p in _aside(folder)] == [data]


def test_a_full_disk_that_cannot_hold_the_copy_loses_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, good, first = _bad_log(folder, torn=True)
    with monkeypatch.context() as patch:
        _full_png(patch, project_module)
        _full_for_logs(patch)  # nor a copy of the log: it stays as it was, whole
        project = Project.open(folder)
    try:
        assert project.pending_logs == ["img"]
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        assert _log(folder).read_bytes() == data
        with monkeypatch.context() as patch:
            _full_for_logs(patch)
            with pytest.raises(ProjectSaveError, match="disk full"):
                project.set_status("img", "edited")
        assert project.entry("img").status.value == "reviewed"
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        assert _log(folder).read_bytes() == data
        assert not list((folder / ".fosp" / "masks").glob(".*.tmp"))
        project.set_status("img", "edited")  # room again: the copy, cut back to the records, then the record
        assert [p.read_bytes() for p in _aside(folder)] == [data]
        assert _log(folder).read_bytes().startswith(good)
    finally:
        project.close()
    with Project.open(folder) as project:
        assert project.recovered == ["img"]
        assert project.entry("img").status.value == "edited"
        assert mask_hash(project.load_mask("img")) == mask_hash(first)
    assert [p.read_bytes() for p in _aside(folder)] == [data]
