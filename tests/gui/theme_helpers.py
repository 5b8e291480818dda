"""Shared by the theme tests (no tests here): the `restore_theme` fixture and a grabbed image's pixels.

A test module takes the fixture with ``restore_theme = theme_helpers.restore_theme`` (pytest finds it in
the module; an import of the name would read as unused to ruff)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QImage, QPalette

from app.theme import DARK, apply_theme, theme_events


@pytest.fixture
def restore_theme(qapp) -> Iterator[None]:  # noqa: ANN001 - pytest-qt's qapp
    """The application's theme and palette as they were before the test (the tests around run in them):
    the dark theme (tests/gui/conftest.py's `_in_the_app_s_theme`), its style recoloured in place. Putting
    Qt's own style back (`setStyle`, which deletes the app's, under the plots of a window still open at
    this teardown) left the next test's first switch to replace it again: a segmentation fault. Its
    `changed` is not said: the test's widgets are closed by now (a closed pyqtgraph view has no items)."""
    palette = QPalette(qapp.palette())
    yield
    with QSignalBlocker(theme_events()):
        apply_theme(qapp, DARK.name)
    qapp.setPalette(palette)


def image_pixels(image: QImage, alpha: bool = False) -> np.ndarray:
    """`image`'s pixels, uint8 (H, W, 3) RGB, or (H, W, 4) RGBA with `alpha` (a copy of Qt's buffer)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    order = [2, 1, 0, 3] if alpha else [2, 1, 0]
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., order].copy()
