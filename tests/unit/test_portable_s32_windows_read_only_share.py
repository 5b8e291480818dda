"""Windows: a folder of images the user may not write (a read-only network share, a folder under Program
Files) gets its project in the user's cache on Linux and macOS, but on Windows ``os.access(folder, W_OK)`` is
always true for a folder (it reads the read-only attribute, which folders ignore; their ACLs decide), so the
project was made beside the images and the opening failed. `writable_folder` now makes and removes an empty
folder there to find out. Simulated: ``os`` as `project_files` sees it on Windows, whose ``mkdir`` in the
share is refused (an ACL) while ``access`` says yes."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import project_files
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import default_location, writable_folder


class _Windows:
    name = "nt"

    def __init__(self, refused: Path) -> None:
        self.refused = refused

    def access(self, path: object, mode: int) -> bool:
        return True  # what Windows answers for any folder

    def mkdir(self, path: object, *args: object) -> None:
        if Path(os.fspath(path)).parent == self.refused:  # type: ignore[arg-type]
            raise PermissionError(13, "Access is denied", os.fspath(path))  # type: ignore[arg-type]
        os.mkdir(path, *args)  # type: ignore[arg-type]

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "share"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((40, 60, 3), 100, np.uint8))
    monkeypatch.setattr(project_files, "os", _Windows(folder))
    return folder


def test_a_share_the_user_may_not_write_gets_a_cache_project(share: Path, tmp_path: Path) -> None:
    assert not writable_folder(share)
    assert default_location(share).parent == tmp_path / "cache" / "projects"
    with Project.open(share) as project:
        assert not project.read_only, project.read_only_reason
        assert project.folder.parent == tmp_path / "cache" / "projects"
    assert sorted(p.name for p in share.iterdir()) == ["a.jpg"]  # nothing made or left there


def test_a_folder_the_user_may_write_gets_its_project_beside_the_images(share: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    assert writable_folder(mine) and default_location(mine) == mine / ".fosp"
    assert list(mine.iterdir()) == []  # the probe removed
