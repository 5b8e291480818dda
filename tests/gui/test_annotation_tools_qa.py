"""Annotation tools QA on the canvas: zoomed-in clicks land in the pixel under the mouse."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    win = demo_window(qtbot, make_window, demo_dir, tmp_path)
    return win


def _pixel_under(window, pos: QPoint) -> tuple[int, int]:
    """The image pixel whose area holds the centre of the viewport pixel `pos` (as drawn)."""
    canvas = window.canvas
    scene = canvas.viewportTransform().inverted()[0].map(QPointF(pos) + QPointF(0.5, 0.5))
    view = canvas.view_box.mapSceneToView(scene)
    return math.floor(view.x()), math.floor(view.y())


def test_at_800_percent_every_mouse_position_in_a_pixel_paints_that_pixel(window, qtbot) -> None:
    controller = window.annotation.controller
    controller.state.set_tool(Tool.BRUSH)
    controller.state.set_radius(0)
    viewport = window.canvas.viewport()
    box = window.canvas.view_box  # 800 %, the image's pixel edges on screen pixels (as after a pan)
    box.setRange(xRange=(200, 200 + box.width() / 8), yRange=(200, 200 + box.height() / 8), padding=0)
    qtbot.wait(10)
    assert window.canvas.zoom_percent() == pytest.approx(800)
    doc = controller.document
    doc.replace_mask(np.zeros(doc.shape, np.uint8))
    centre = QPoint(viewport.width() // 2, viewport.height() // 2)
    wrong = []
    for dy in range(0, 16, 3):
        for dx in range(16):  # two image pixels across, every screen pixel
            pos = centre + QPoint(dx, dy)
            expected = _pixel_under(window, pos)
            before = doc.mask.copy()
            QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
            painted = np.argwhere(doc.mask != before)
            got = [(int(x), int(y)) for y, x in painted]
            if got != [expected]:
                wrong.append((dx, dy, expected, got))
            doc.undo()
    assert not wrong


def test_fractional_mouse_positions_map_exactly(window, qtbot) -> None:
    """On a HiDPI screen mouse positions are fractional logical pixels; image_point rounded them to whole
    logical pixels first (QPointF.toPoint), so at 800 % the last 0.5 px of a pixel went to its neighbour."""
    from app.annotation.canvas_input import CanvasInput

    box = window.canvas.view_box
    box.setRange(xRange=(200, 200 + box.width() / 8), yRange=(200, 200 + box.height() / 8), padding=0)
    qtbot.wait(10)
    canvas_input = window.annotation.controller.findChild(CanvasInput) or window.canvas.findChild(CanvasInput)
    assert canvas_input is not None
    base = window.canvas.mapFromScene(box.mapViewToScene(QPointF(240, 240)))  # the corner of pixel (240, 240)
    for offset in (0.25, 0.5, 3.9, 7.6, 7.9):
        x, y = canvas_input.image_point(QPointF(base) + QPointF(offset, offset))
        assert (math.floor(x + 0.5), math.floor(y + 0.5)) == (240, 240), offset
        assert x == pytest.approx(239.5 + offset / 8) and y == pytest.approx(239.5 + offset / 8)
