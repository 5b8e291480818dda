"""The project the recovery tests start from: one 40x50 image whose mask file is saved (a 10x15
block, status edited), closed."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.project import Project

SHAPE = (40, 50)


def one_image_project(tmp_path: Path) -> Path:
    """Make the project under `tmp_path` (see the module doc); returns its images folder."""
    images = tmp_path / "images"
    images.mkdir()
    cv2.imwrite(str(images / "img.png"), np.full((*SHAPE, 3), 80, np.uint8))
    base = np.zeros(SHAPE, np.uint8)
    base[5:15, 5:20] = 1
    with Project.open(images) as project:
        project.save_mask("img", base, "edited")
    return images
