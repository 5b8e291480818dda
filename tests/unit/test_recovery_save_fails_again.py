"""A recovery log whose save fails when the project is opened (a full disk) stays for the next
opening, whatever else is wrong with it: one with a bad record after good ones keeps its good
records to be applied when the disk has room again (and its whole bytes set aside, once, however
many openings fail), and one that ends with a torn append (the kill that left it) is cut back to
its records, so that what is appended to it next (a status set by a script, a stroke) is read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path, unapplied_logs
from fosp_core.annotation.storage import StorageError
from tests.unit.crash_worker import mask_hash
from tests.unit.recovery_project import SHAPE, one_image_project


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A project of one 40x50 image, its mask file saved (status edited), closed."""
    return one_image_project(tmp_path)


def _open_with_full_disk(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    real = project_module.atomic_write

    def full(path: Path, payload: bytes, **kwargs: object) -> None:
        if Path(path).name == "img.png":
            raise StorageError(path, "cannot write: disk full", 28)
        real(path, payload, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(project_module, "atomic_write", full)
        return Project.open(folder)


def _log(folder: Path) -> Path:
    return log_path(folder / ".fosp" / "masks" / "img.png")


def test_good_records_before_a_bad_one_are_applied_once_the_save_works(folder: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = np.zeros(SHAPE, np.uint8)
    first[10:30, 10:40] = 1
    bad = json.loads(encode_record(first, (0, 3, 0, 3), "reviewed"))
    bad["rect"] = [30, 60, 0, 10]  # past its mask's 40 rows
    data = encode_record(first, (0, 40, 0, 50), "reviewed") + json.dumps(bad).encode() + b"\n"
    _log(folder).write_bytes(data)
    for _ in range(2):  # two openings on a full disk
        project = _open_with_full_disk(folder, monkeypatch)
        try:
            assert project.recovered == [] and project.pending_logs == ["img"]
            assert mask_hash(project.load_mask("img")) == mask_hash(first)  # shown, in memory
        finally:
            project.close()
    with Project.open(folder) as project:  # room again
        assert project.recovered == ["img"]
        assert mask_hash(project.load_mask("img")) == mask_hash(first)
        assert project.entry("img").status.value == "reviewed"
    assert not _log(folder).exists()
    kept = unapplied_logs(folder / ".fosp" / "masks")
    assert [k.path.name for k in kept] == ["img.png.recovery.unapplied"]  # once, the whole log
    assert kept[0].path.read_bytes() == data


def test_a_torn_tail_does_not_hide_what_is_appended_after_it(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = np.zeros(SHAPE, np.uint8)
    first[10:30, 10:40] = 1
    line = encode_record(first, (0, 40, 0, 50), "reviewed")
    _log(folder).write_bytes(line + line[: len(line) // 2])  # killed inside the second append
    project = _open_with_full_disk(folder, monkeypatch)
    try:
        assert project.pending_logs == ["img"]
        project.set_status("img", "edited")  # a script: the last word
    finally:
        project.close()
    with Project.open(folder) as project:
        assert project.recovery_problems == [] and project.recovered == ["img"]
        assert project.entry("img").status.value == "edited"
        assert mask_hash(project.load_mask("img")) == mask_hash(first)
    assert unapplied_logs(folder / ".fosp" / "masks") == []
