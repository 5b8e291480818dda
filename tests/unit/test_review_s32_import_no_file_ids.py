"""Review of 9b3a53c2: ``fosp project import`` refuses the project itself (and its own masks/ folder) by the
folders' identity, `os.path.samefile` (device and inode). Python documents ``st_ino`` as identifying a file only
when non-zero; a drive without file ids (FAT32 and exFAT sticks - the usual way to hand a copy to a teammate -,
some SMB servers) gives 0 for every file, so any two folders there were "one": a teammate's copy on the same
stick was refused as "the project itself", a folder of masks there as "the project's own masks folder". An
identity of 0 is no identity: only the resolved path says so there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_merge import same_folder


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    return folder


def _no_file_ids(monkeypatch: pytest.MonkeyPatch, under: Path) -> None:
    """os.stat of every folder under `under`: inode 0, one device (a FAT stick's)."""
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # noqa: ANN001, ANN202 - os.stat's signature
        st = real_stat(path, *args, **kwargs)
        if isinstance(path, (str, os.PathLike)) and os.path.normpath(os.fspath(path)).startswith(os.fspath(under)):
            fields = list(st)
            fields[1], fields[2] = 0, 4321
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(os, "stat", stat)


def test_a_teammates_copy_on_a_stick_without_file_ids_is_imported(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    stick = tmp_path / "stick"
    mine, theirs = _project(stick / "mine"), _project(stick / "theirs")
    mask = np.zeros((40, 60), np.uint8)
    mask[:5, :5] = 1
    with Project.open(theirs) as project:
        project.save_mask("a", mask, Status.EDITED)
    Project.open(mine).close()  # its .fosp made
    shutil.copytree(theirs / ".fosp" / "masks", stick / "their masks")
    _no_file_ids(monkeypatch, stick)
    assert os.path.samefile(mine, theirs), "the simulation: samefile cannot tell them apart"
    assert not same_folder(mine / ".fosp", theirs / ".fosp")
    assert same_folder(mine / ".fosp", mine / "x" / ".." / ".fosp"), "the same path still is"
    with Project.open(mine) as project:
        project.import_labels(theirs / ".fosp")  # raised DatasetError: 'this is the project itself'
        assert project.entry("a").status == Status.EDITED
        project.import_labels(stick / "their masks")  # raised: 'this is the project's own masks folder'
