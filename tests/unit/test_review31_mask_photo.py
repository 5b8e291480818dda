"""A photo given where a mask goes (read_mask on a JPEG of the scene, a label folder holding the images)
was refused with "N colours besides black and ignore ...; pass smoke_color to choose": advice that cannot
help (no colour of a photo is its smoke). It now says the file looks like a photo, not a mask, and what a
mask file is; a colour mask of a few colours still names them and smoke_color."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.io.masks import MaskReadError, read_mask


def test_a_photo_is_told_as_a_photo_not_a_mask(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    photo = rng.integers(0, 256, (32, 48, 3), dtype=np.uint8)
    path = tmp_path / "scene.png"
    Image.fromarray(photo).save(path)
    with pytest.raises(MaskReadError) as raised:
        read_mask(path)
    reason = raised.value.reason if hasattr(raised.value, "reason") else str(raised.value)
    assert "photo" in reason and "not a mask" in reason
    assert "smoke_color" not in reason
    assert "0 background" in reason  # what a mask file is


def test_a_colour_mask_of_two_colours_still_names_smoke_color(tmp_path: Path) -> None:
    mask = np.zeros((8, 8, 3), np.uint8)
    mask[:2] = (128, 0, 0)
    mask[4:6] = (0, 128, 0)
    path = tmp_path / "two.png"
    Image.fromarray(mask).save(path)
    with pytest.raises(MaskReadError, match="smoke_color"):
        read_mask(path)
