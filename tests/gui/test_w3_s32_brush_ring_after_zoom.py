"""The brush (and eraser) outline with a still mouse: a zoom or pan from the keys (View ▸ Zoom In/Out,
Ctrl+Shift+arrows) or Fit moves the image under the cursor, and the outline stayed on the pixel it had
been over (at (80, 60) while the cursor was over (94, 68)) until the mouse moved: a stroke started there
painted where the outline was not. It now follows the view as the status bar's pixel readout does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import viewport_pos
from tests.gui.odd_window import odd_photo_window

SHAPE = (161, 203)  # odd, not square


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    return odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=5)


def _ring_centre(window) -> tuple[int, int]:  # noqa: ANN001
    """The image pixel the brush outline is centred on."""
    centre = window.annotation.controller.cursor.rect().center()
    return int(np.floor(centre.x())), int(np.floor(centre.y()))


def _under(window, pos) -> tuple[int, int] | None:  # noqa: ANN001
    canvas = window.canvas
    return canvas.image_pixel_at(canvas.mapToScene(pos))


@pytest.mark.parametrize("tool", [Tool.BRUSH, Tool.ERASER])
def test_the_brush_outline_follows_a_key_zoom_under_a_still_cursor(qtbot, make_window, tmp_path: Path,
                                                                   tool: Tool) -> None:
    """Each move in turn in one window (a window a move cost ~0.4 s), each from the whole image in view."""
    window = _window(qtbot, make_window, tmp_path)
    controller = window.annotation.controller
    controller.state.set_tool(tool)
    canvas = window.canvas
    for move in ("zoom in", "zoom out", "pan", "fit"):
        canvas.fit()
        qtbot.wait(20)
        if move == "fit":
            canvas.set_zoom(4 * canvas.zoom_percent())
            qtbot.wait(20)
        rect = canvas.view_box.viewRect()
        x, y = int(rect.left() + rect.width() * 0.4), int(rect.top() + rect.height() * 0.4)  # off the centre
        pos = viewport_pos(window, x, y)
        QTest.mouseMove(canvas.viewport(), pos + QPoint(7, 5))
        qtbot.wait(50)  # Qt drops a synthetic move that follows another at once
        QTest.mouseMove(canvas.viewport(), pos)
        qtbot.waitUntil(lambda x=x, y=y: _ring_centre(window) == (x, y))
        assert controller.cursor.isVisible(), move
        act = {"zoom in": window.action_zoom_in.trigger, "zoom out": window.action_zoom_out.trigger,
               "pan": lambda: [a.trigger() for a in window.pan_actions[:1]], "fit": window.action_fit.trigger}
        act[move]()
        qtbot.wait(50)
        now = _under(window, pos)
        assert now is not None and now != (x, y), (move, now)  # the image moved under the cursor
        assert _ring_centre(window) == now, (move, tool, now)
        assert controller.cursor.isVisible(), move
