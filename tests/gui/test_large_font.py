"""A large system font (KDE/GNOME 'large text': 12-14 pt where the default is 9) on a laptop screen.

The application font reaches every widget, so the window is built after it is set; it is put back
afterwards for the tests that follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import demo_window
from tests.gui.app_font import application_font
from tests.gui.conftest import WindowFactory

IMAGE_DOCK_WIDTH = 260  # the Images dock's width at the default font (main_window)


@pytest.fixture(params=[12.0, 14.0])
def large_font(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[float]:
    with application_font(qapp, request.param) as points:
        yield points


def test_the_images_dock_keeps_its_width_with_a_large_font(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                           tmp_path: Path, large_font: float) -> None:
    """The Model/Layers column grows with the font (356 px at 12 pt, 411 at 14): the Images dock gave
    it that width, 204 and 149 px left of its 260, the names beside the thumbnails 2-3 characters a
    line ('201 / 807 / 06_ / …'), while the canvas kept its 794 px."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.resize(1366, 768)
    for _ in range(4):
        QApplication.processEvents()
    assert window.image_dock.width() >= IMAGE_DOCK_WIDTH
    view = window.image_list
    beside = view.viewport().width() - view.iconSize().width()  # what a row's name is drawn in
    assert beside >= 10 * view.fontMetrics().averageCharWidth()
    assert window.canvas.width() >= 500  # the canvas still the largest part
