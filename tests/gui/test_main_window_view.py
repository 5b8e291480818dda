"""Main window: the image view - pixel readout, zoom (fit, actual size, the wheel around the cursor)
and the view kept for the next image of the same size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from tests.gui.annotation_helpers import viewport_pos
from tests.gui.main_window_helpers import demo_images, file_pixels, wait_displayed

from .conftest import WindowFactory


def _show_first_sample(qtbot, make_window: WindowFactory, demo_dir: Path) -> tuple[MainWindow, Path]:  # noqa: ANN001
    """A shown window with the demo's first image open, on the canvas and fitted to the view. The fit
    (pyqtgraph's auto-range) is applied at the next paint: until then the view shows its 8 x 8 px
    placeholder range, and in the first window of a test process that paint can come after the
    image is up (the pixel readout test then hovered a point off the image)."""
    window = make_window(show=True)
    sample = demo_images(demo_dir)[0]
    window.open_paths([sample])
    wait_displayed(qtbot, window, sample)
    height, width = window.canvas.image_shape
    qtbot.waitUntil(lambda: window.canvas.view_box.viewRect().contains(QRectF(0, 0, width, height)))
    return window, sample


def test_pixel_readout_zoom_fit_and_actual_size(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window, sample = _show_first_sample(qtbot, make_window, demo_dir)
    canvas = window.canvas
    pixels = file_pixels(sample)

    # Hovering pixel (x=300, y=120) = column 300, row 120: the readout shows that pixel's RGB.
    scene_pos = canvas.view_box.mapViewToScene(QPointF(300.5, 120.5))
    assert canvas.image_pixel_at(scene_pos) == (300, 120)
    # the mouse is over one at 1:1 (fitted, a screen pixel is 1.29 image pixels in a 416 px wide canvas:
    # no mouse position lies in column 300, the positions either side read 299 and 301)
    canvas.actual_size()
    with qtbot.waitSignal(canvas.hovered) as hovered:
        qtbot.mouseMove(canvas.viewport(), viewport_pos(window, 300, 120))
    assert hovered.args == [300, 120]
    r, g, b = pixels[120, 300]
    assert window.pixel_label.text() == f"x   300  y   120   RGB {r:>3} {g:>3} {b:>3}"
    outside = canvas.view_box.mapViewToScene(QPointF(-5.0, 10.0))
    assert canvas.image_pixel_at(outside) is None

    canvas.actual_size()
    assert abs(canvas.zoom_percent() - 100.0) < 0.5
    assert window.zoom_label.text() == "zoom 100%"
    canvas.zoom_by(2.0)
    assert abs(canvas.zoom_percent() - 200.0) < 1.0
    qtbot.keyClick(window, Qt.Key.Key_F)  # fit: the whole image is visible and fills one side
    qtbot.waitUntil(lambda: canvas.zoom_percent() < 200.0)
    rect = canvas.view_box.viewRect()
    assert rect.left() <= 0 and rect.top() <= 0 and rect.right() >= 512 and rect.bottom() >= 512
    assert min(rect.width(), rect.height()) < 512 * 1.05


def test_next_image_of_the_same_size_keeps_the_view(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window = make_window(show=True)
    images = demo_images(demo_dir)
    window.open_paths([demo_dir])
    wait_displayed(qtbot, window, images[0])
    window.canvas.set_zoom(250.0)
    view = window.canvas.view_box.viewRect()
    window.action_next.trigger()
    assert window.canvas.base.image is not None  # the previous image stays up while decoding
    wait_displayed(qtbot, window, images[1])
    np.testing.assert_array_equal(window.canvas.base.image, file_pixels(images[1]))
    assert window.canvas.view_box.viewRect() == view
    assert window.zoom_label.text() == "zoom 250%"


def test_wheel_zooms_around_the_cursor(qtbot, make_window: WindowFactory, demo_dir: Path) -> None:
    window, sample = _show_first_sample(qtbot, make_window, demo_dir)
    canvas = window.canvas
    canvas.actual_size()
    anchor = QPointF(200.5, 300.5)
    cursor = canvas.mapFromScene(canvas.view_box.mapViewToScene(anchor))
    wheel = QWheelEvent(QPointF(cursor), QPointF(canvas.viewport().mapToGlobal(cursor)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom_percent() > 105.0  # wheel up zooms in...
    after = canvas.view_box.mapSceneToView(canvas.mapToScene(cursor))
    assert abs(after.x() - anchor.x()) < 1.0 and abs(after.y() - anchor.y()) < 1.0  # ...around the cursor
