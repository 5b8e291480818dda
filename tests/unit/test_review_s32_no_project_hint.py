"""``Project.open(PATH, create=False)`` (a script, the library) on a folder without a project said "no annotation
project here (open the images in the app first)" alone, though since 3fb80bdc ``fosp project init PATH`` makes it
without the app, as the CLI's own line already says: it now names that command too, the path shell-quoted."""

from __future__ import annotations

import shlex
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project, ProjectError


def test_a_folder_without_a_project_names_fosp_project_init(tmp_path: Path) -> None:
    photos = tmp_path / "my photos"
    photos.mkdir()
    cv2.imwrite(str(photos / "a.jpg"), np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ProjectError) as caught:
        Project.open(photos, create=False)
    said = str(caught.value)
    assert "no annotation project here (open the images in the app first" in said, said
    assert f"fosp project init {shlex.quote(str(photos))}" in said, said
    assert not (photos / ".fosp").exists(), "nothing made"
