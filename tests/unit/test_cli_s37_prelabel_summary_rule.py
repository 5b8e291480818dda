"""A pre-label under a region rule stored its worklist summary of the plain threshold (session 37, helper N3;
left to it by R's e449e216, which made `summaries.summarise` take the rule for Run on All Images).

``fosp project prelabel --keep core:0.9`` (and the app's Pre-label All under the Model panel's rule) wrote the
mask of the regions the rule keeps, but the image's summary - stamped with that rule - counted the smoke of
every region above the threshold: Sort by Smoke size ordered the images by regions their masks do not hold.
The summary's smoke now is the mask's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask


def _two_plumes(rgb: np.ndarray) -> np.ndarray:
    """A confident plume (core 0.95) on the left, a faint one (0.6 at most) on the right."""
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[4:20, 2:14] = 0.95
    prob[4:20, 30:46] = 0.6
    return prob


def test_the_summary_counts_the_regions_the_rule_keeps(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(np.full((24, 48, 3), 90, np.uint8)).save(photos / "a.png")
    stamp = ModelStamp("0123456789abcdef", None, 0.5, "core:0.9")
    with Project.open(photos) as project:
        report = prelabel(project, _two_plumes, stamp)
        assert report.imported == ["a"]
        mask = read_mask(project.mask_path("a"))
        summary = project.entry("a").prediction
    assert int(mask.sum()) == 16 * 12  # the confident plume only
    assert summary["smoke_ratio"] == mask.mean(), summary  # was both plumes: (16 * 12 + 16 * 16) / (24 * 48)
