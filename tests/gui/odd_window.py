"""A window on one random photo of an odd, non-square size (the hover, readout and brush-ring tests), and a
prediction whose every pixel holds a different probability, shown as the controller shows a result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.infer.result import Prediction


def odd_photo_window(qtbot, make_window, tmp_path: Path, shape: tuple[int, int], seed: int):  # noqa: ANN001, ANN201
    """The window showing a random `shape` photo drawn with `seed` (its project under tmp_path)."""
    h, w = shape
    path = tmp_path / "odd.png"
    Image.fromarray(np.random.default_rng(seed).integers(0, 255, (h, w, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    return window


def show_ramp(window, shape: tuple[int, int]) -> np.ndarray:  # noqa: ANN001
    """A prediction with a value per pixel (0 .. 1 in reading order) shown on `window`'s `shape` image; its
    probability."""
    h, w = shape
    probability = (np.arange(h * w, dtype=np.float32) / (h * w)).reshape(h, w)
    window.analysis._show(Prediction(probability=probability, focus_map=1 - probability))
    return probability
