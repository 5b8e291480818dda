"""Hostile-user inputs found by QA: each test pins a defect that used to slip through."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io import images
from fosp_core.io.images import ImageReadError, read_image


@pytest.mark.parametrize("side", [40, 60])  # 1600 px: Pillow's warning band; 3600 px: its error band
def test_an_image_over_the_pixel_limit_is_refused_not_decoded_by_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: int
) -> None:
    # A 500 MP PNG (0.5 MB of zeros) used to bypass the 400 MP guard: Pillow refused it and the
    # OpenCV fallback then decoded it anyway (8 GB resident in `fosp predict`).
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    path = tmp_path / "bomb.png"
    cv2.imwrite(str(path), np.zeros((side, side), np.uint8))
    with pytest.raises(ImageReadError) as info:
        read_image(path)
    assert "too large" in info.value.reason
    assert "1,000" in info.value.reason


def test_the_opencv_fallback_keeps_the_pixel_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A float RGB TIFF is a file Pillow cannot open, so only OpenCV decodes it.
    path = tmp_path / "float_rgb.tif"
    cv2.imwrite(str(path), np.random.default_rng(0).random((40, 40, 3)).astype(np.float32))
    assert read_image(path).mode.startswith("cv2:")
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    with pytest.raises(ImageReadError, match="too large"):
        read_image(path)
