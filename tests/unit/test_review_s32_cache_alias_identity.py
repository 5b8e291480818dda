"""Review of f3af5b54: a read-only folder without a cache project of its own path opens the cache project "made
for the same folder" among those of folders of the same name, found by `os.path.samefile` (device and inode).

Python documents ``st_ino`` as identifying a file only "if non-zero": file systems without file ids give 0 for
every file (Windows: FAT and exFAT drives, some SMB servers and cloud drives, exactly where read-only shared
folders live). There `samefile` said yes for any two folders of one drive, so a second read-only folder only of
the same name ('images', 'frames') opened the first one's project: its masks shown over other images, saves
into another folder's work. An identity of 0 is no identity: such a folder gets its own project."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, default_location


def _share(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    folder.chmod(0o555)  # read-only for everyone, root included (`writable_folder`)
    return folder


def test_a_drive_without_file_ids_gives_a_same_named_folder_its_own_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    one, two = _share(tmp_path / "one" / "images"), _share(tmp_path / "two" / "images")
    mask = np.zeros((40, 60), np.uint8)
    mask[:5, :5] = 1
    with Project.open(one) as project:
        made = project.folder
        project.save_mask("a", mask, Status.REVIEWED)

    real_stat = os.stat
    shares = {os.fspath(one), os.fspath(two)}  # the project's images root is kept relative: normalised

    def no_file_ids(path, *args, **kwargs):  # noqa: ANN001, ANN202 - os.stat's signature
        st = real_stat(path, *args, **kwargs)
        if isinstance(path, (str, os.PathLike)) and os.path.normpath(os.fspath(path)) in shares:
            fields = list(st)
            fields[1], fields[2] = 0, 1234  # st_ino unknown (0), one drive (st_dev)
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(os, "stat", no_file_ids)
    assert os.path.samefile(one, two), "the simulation: samefile cannot tell the two folders apart"
    assert default_location(two) != made, "another folder's project"
    monkeypatch.setattr(os, "stat", real_stat)
    with Project.open(two) as project:
        assert project.folder != made and project.entry("a").status == Status.UNLABELED


def test_the_same_folder_under_a_symlinked_parent_still_finds_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard: real file ids, the same folder reached under another path keeps finding its project."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    share = _share(tmp_path / "real" / "images")
    with Project.open(share) as project:
        made = project.folder
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert default_location(tmp_path / "link" / "images") == made


def test_a_symlinked_parent_on_a_drive_without_file_ids_still_finds_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No file ids: the folder reached through a link (``fosp project init`` resolves the path it is given, the
    other ``fosp project`` actions do not) is still found by its resolved path."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    share = _share(tmp_path / "real" / "images")
    with Project.open(share) as project:
        made = project.folder
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    real_stat = os.stat

    def no_file_ids(path, *args, **kwargs):  # noqa: ANN001, ANN202 - os.stat's signature
        st = real_stat(path, *args, **kwargs)
        fields = list(st)
        fields[1] = 0  # no file ids anywhere
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", no_file_ids)
    assert default_location(tmp_path / "link" / "images") == made
