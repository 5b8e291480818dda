"""Review of 337d5636 (save_mask journals its intent over a mask file, so a kill after the rename reopens the new
state): a Ctrl-C (KeyboardInterrupt) that lands inside the mask's write once the new PNG is in place - its
folder's fsync, right after the rename - is no kill: the process goes on (a script, ``fosp project import`` and
``prelabel`` catch it and close the project), and the close wrote the entry as memory held it, the old status,
over the intent line. A reviewed image reopened 'reviewed' with a mask nobody reviewed. Now an interrupted write
puts the old file back (its recovery-log record taken back), so file and state agree; an interrupt before the
rename leaves everything as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

import fosp_core.annotation.project as project_module
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project


def _project(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path, str, np.ndarray, np.ndarray]:
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    with Project.open(images, location) as project:
        image_id = project.entries[0].id
        h, w = cv2.imread(str(project.image_path(image_id))).shape[:2]
        old, new = np.zeros((h, w), np.uint8), np.zeros((h, w), np.uint8)
        old[:10], new[-10:] = 1, 1
        project.save_mask(image_id, old, Status.REVIEWED)
    return images, location, image_id, old, new


@pytest.mark.parametrize("when", ["after the rename", "before the rename"])
def test_an_interrupted_save_reopens_its_mask_with_its_own_status(demo_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   when: str) -> None:
    images, location, image_id, old, new = _project(demo_dir, tmp_path)
    real = project_module.atomic_write

    def interrupted(path, data, **kwargs):  # noqa: ANN001, ANN202 - atomic_write's signature
        if Path(path).suffix == ".png":
            if when == "after the rename":
                real(path, data, **kwargs)
            raise KeyboardInterrupt  # Ctrl-C in the folder's fsync (or before the rename)
        return real(path, data, **kwargs)

    with Project.open(images, location) as project:
        monkeypatch.setattr(project_module, "atomic_write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            project.save_mask(image_id, new, Status.EDITED)  # a reviewed image edited again
        monkeypatch.setattr(project_module, "atomic_write", real)
    with Project.open(images, location) as project:
        status, mask = project.entry(image_id).status, project.load_mask(image_id)
        pair = (status, "new" if np.array_equal(mask, new) else "old" if np.array_equal(mask, old) else "other")
        assert pair in {(Status.REVIEWED, "old"), (Status.EDITED, "new")}, pair
        assert not [p.name for p in project.mask_path(image_id).parent.iterdir() if p.name.endswith(".tmp")]
