"""Opening again a folder whose project is open in the window: an image added since joins the project,
and an unchanged folder is not listed again (`ProjectRegistry.open_for` runs on the GUI thread, and a
folder of 100 000 images takes seconds to list and resolve there: counted, not timed)."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation import projects
from app.annotation.projects import ProjectRegistry


def test_an_unchanged_folder_is_not_listed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        registry.open_for([folder])
        listings: list[Path] = []
        real = projects._new_listing
        monkeypatch.setattr(projects, "_new_listing", lambda source: listings.append(source) or real(source))
        registry.open_for([folder])
        assert listings == []
        cv2.imwrite(str(folder / "b.jpg"), np.full((20, 30, 3), 90, np.uint8))
        os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))  # a coarse clock: the folder changed all the same
        registry.open_for([folder])
        assert len(listings) == 1
        found = registry.lookup(folder / "b.jpg")
        assert found is not None and found[1] == "b"
    finally:
        registry.close()
