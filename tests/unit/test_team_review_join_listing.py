"""Opening again a folder whose project is open here, after a teammate added one photo to it: the join
(`ProjectRegistry._join`, on the GUI thread) listed and resolved the whole folder again there (100 000
images: about 2 s on a loaded machine), though the open had just listed it on its worker. Given that
listing (`ProjectRegistry.adopt(prepared, found)`), the join takes its new images from it: no listing on
the GUI thread (counted, not timed)."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation import projects
from app.annotation.projects import ProjectRegistry
from fosp_core.session import collect_image_paths


def test_a_changed_folder_joins_from_the_opens_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        registry.open_for([folder])
        cv2.imwrite(str(folder / "b.jpg"), np.full((20, 30, 3), 90, np.uint8))
        os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))  # a coarse clock: the folder changed all the same
        found, _errors = collect_image_paths([folder])  # what the open's worker listed
        listings: list[Path] = []
        real = projects._new_listing
        monkeypatch.setattr(projects, "_new_listing", lambda source: listings.append(source) or real(source))
        registry.adopt([], found)
        registry.open_for([folder])
        assert listings == []
        joined = registry.lookup(folder / "b.jpg")
        assert joined is not None and joined[1] == "b"
        cv2.imwrite(str(folder / "c.jpg"), np.full((20, 30, 3), 90, np.uint8))
        os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))
        registry.open_for([folder])  # no listing given (an open elsewhere): listed here, as before
        assert len(listings) == 1 and registry.lookup(folder / "c.jpg") is not None
    finally:
        registry.close()
