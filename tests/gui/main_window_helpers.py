"""Helpers for the main window tests: the demo's images, a file's pixels decoded without the app,
and waiting until an image is on the canvas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from app.main_window import MainWindow


def demo_images(demo_dir: Path) -> list[Path]:
    """The demo dataset's JPEGs, in name order."""
    return sorted((demo_dir / "JPEGImages").glob("*.jpg"))


def file_pixels(path: Path) -> np.ndarray:
    """The file's pixels decoded independently of the app (Pillow, RGB)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def wait_displayed(qtbot, window: MainWindow, path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    """Wait until `path` is the session's current image and its pixels are on the canvas."""
    def shown() -> None:
        image = window.session.current_image
        assert image is not None and image.path.resolve() == path.resolve()
        assert window.canvas.base.image is not None

    qtbot.waitUntil(shown, timeout=10_000)
