"""The pixel a hover names is the one drawn under the cursor: the screen pixel's centre's, not its corner's.

A mouse position is the top-left corner of the screen pixel under the cursor, and that pixel is drawn from
the image at its centre. The canvas, the brush and the compare grid read the corner: below 1:1 (a screen
pixel spans 2.7 image pixels at 37 %) the status bar named, and the brush outline sat on, the pixel up and
left of the one drawn there, and above 1:1 at a zoom off the whole ones (251.7 %) a screen pixel
straddling two image pixels read the one it shows less of. They now read the centre (app/cursor_centre.py):
readout, brush outline and picture agree, at, above and below 1:1, on the canvas and in the compare grid."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtTest import QTest

from fosp_core.annotation.tool_state import Tool
from tests.gui.canvas_helpers import pixels
from tests.gui.odd_window import odd_photo_window
from tests.gui.test_analyst_s32_grid_hover import _window as grid_window

SHAPE = (161, 203)  # odd, not square


def _view_point(box, view, pos: QPoint, dx: float = 0.0) -> tuple[int, int]:  # noqa: ANN001
    """The image pixel (x, y) at viewport position `pos` + (dx, dx) of `view`, in `box`'s coordinates."""
    point = box.mapSceneToView(view.viewportTransform().inverted()[0].map(QPointF(pos) + QPointF(dx, dx)))
    return math.floor(point.x()), math.floor(point.y())


def _move(qtbot, viewport, pos: QPoint) -> None:  # noqa: ANN001
    QTest.mouseMove(viewport, pos + QPoint(5, 3))  # a move to where the last one left it is dropped
    qtbot.wait(40)
    QTest.mouseMove(viewport, pos)
    qtbot.wait(40)


def test_at_and_above_1_to_1_the_pixel_named_is_the_one_drawn(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """At 251.7, 100 and 400 %, in turn in one window (they were 3 tests, a window each)."""
    window = odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=11)
    canvas = window.canvas
    rgb = window.session.current_image.rgb
    for zoom in (251.7, 100.0, 400.0):
        canvas.set_zoom(zoom)
        qtbot.wait(30)
        canvas.viewport().repaint()
        qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
        shot = pixels(canvas)[..., ::-1]  # (its bytes are B, G, R)
        cx, cy = canvas.viewport().width() // 2, canvas.viewport().height() // 2
        wrong, named = [], 0
        for j in range(cy - 20, cy + 20):
            for i in range(cx - 20, cx + 20):
                pixel = canvas.image_pixel_at(canvas.mapToScene(QPoint(i, j)))
                if pixel is None:
                    continue
                named += 1
                if tuple(shot[j, i]) != tuple(rgb[pixel[1], pixel[0]]):
                    wrong.append(((i, j), pixel))
        assert named > 1000, (zoom, named)
        assert not wrong, f"{zoom} %: {len(wrong)} of {named} screen pixels name another pixel than drawn, " \
                          f"e.g. {wrong[:3]}"


@pytest.mark.parametrize("zoom", [37.3, 251.7])
def test_the_readout_and_the_brush_outline_name_the_pixel_under_the_centre(qtbot, make_window, tmp_path: Path,
                                                                           zoom: float) -> None:
    window = odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=12)
    canvas = window.canvas
    controller = window.annotation.controller
    controller.state.set_tool(Tool.BRUSH)
    canvas.fit()
    qtbot.wait(20)
    canvas.set_zoom(zoom)
    qtbot.wait(30)
    viewport, box = canvas.viewport(), canvas.view_box
    cx, cy = viewport.width() // 2, viewport.height() // 2
    # positions whose corner lies in another pixel than their centre (the corner's reading differs)
    around = [QPoint(cx + d, cy + e) for d in range(-9, 9) for e in (-4, 0, 5)]
    positions = [p for p in around if _view_point(box, canvas, p) != _view_point(box, canvas, p, 0.5)]
    assert len(positions) >= 5
    for pos in positions[:6]:
        x, y = _view_point(box, canvas, pos, 0.5)
        _move(qtbot, viewport, pos)
        assert f"x {x:>5}  y {y:>5}" in window.readouts.pixel.text(), (zoom, pos, x, y)
        centre = controller.cursor.rect().center()
        assert (math.floor(centre.x()), math.floor(centre.y())) == (x, y), (zoom, pos)


def test_the_compare_grid_names_the_pixel_under_the_centre(qtbot, make_window, tmp_path: Path) -> None:
    window, probability = grid_window(qtbot, make_window, tmp_path)
    grid = window.analysis.grid
    rgb = window.session.current_image.rgb
    box = grid.view_boxes[0]
    start = grid.mapFromScene(box.mapViewToScene(QPointF(20.0, 20.0)))
    along = [start + QPoint(d, d // 2) for d in range(24)]
    positions = [p for p in along if _view_point(box, grid, p) != _view_point(box, grid, p, 0.5)]
    assert len(positions) >= 3
    shot = grid.grab().toImage()
    for pos in positions[:4]:
        x, y = _view_point(box, grid, pos, 0.5)
        _move(qtbot, grid.viewport(), pos)
        r, g, b = (int(v) for v in rgb[y, x])
        assert window.readouts.pixel.text() == f"x {x:>5}  y {y:>5}   RGB {r:>3} {g:>3} {b:>3}", (pos, x, y)
        assert f"p {probability[y, x]:.3f}" in window.analysis.hover_label.text()
        shown = shot.pixelColor(pos)  # the image panel draws that pixel there
        assert (shown.red(), shown.green(), shown.blue()) == (r, g, b), (pos, x, y)
