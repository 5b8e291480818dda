"""Pans of the canvas (app/layer_pan.py, app/layer_compositor.py): the composite shifted, only the
exposed strips and the columns or rows whose source pixels moved drawn, and every pan step shows the
pixels of drawing every layer directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest

from app.layer_item import LayerItem
from app.layer_pan import PanPainter, pan_shift
from tests.gui.canvas_helpers import assert_as_drawn_directly, review_window, set_zoom, settle_buffers


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return review_window(qtbot, make_window, demo_dir, tmp_path)


def _pan(canvas, right: float, down: float, paint_first: bool = True) -> None:  # noqa: ANN001
    """Move the image `right`, `down` device pixels, as a drag does (ViewBox.translateBy), from an
    exact composite (the comparisons drop the compositor's caches: paint it first)."""
    if paint_first:
        canvas.viewport().repaint()
    dpr = canvas.viewport().devicePixelRatioF()
    per_pixel = 100.0 / canvas.zoom_percent() / dpr  # image pixels per device pixel
    canvas.view_box.translateBy(x=-right * per_pixel, y=-down * per_pixel)


def _plans(monkeypatch) -> list[object]:  # noqa: ANN001
    """What PanPainter.plan returned (None: everything drawn) from now on."""
    plans: list[object] = []
    original = PanPainter.plan
    monkeypatch.setattr(PanPainter, "plan", lambda self, *args: plans.append(original(self, *args)) or plans[-1])
    return plans


def _full_draws(monkeypatch, canvas) -> list[LayerItem]:  # noqa: ANN001
    """The LayerItems drawn over more than a third of the viewport's rows from now on."""
    drawn: list[LayerItem] = []
    original = LayerItem.draw
    limit = canvas.viewport().height() / 3

    def spy(item: LayerItem, painter: QPainter) -> None:
        if painter.clipBoundingRect().isEmpty() or painter.clipBoundingRect().height() > limit:
            drawn.append(item)
        original(item, painter)

    monkeypatch.setattr(LayerItem, "draw", spy)
    return drawn


def test_a_pan_step_draws_no_layer_whole(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    settle_buffers(canvas)
    full = _full_draws(monkeypatch, canvas)
    for right, down in ((17, -9), (-31, 0), (0, 23)):
        _pan(canvas, right, down)
        canvas.viewport().repaint()
        assert full == [], f"a pan of ({right}, {down}) drew {len(full)} layers over the viewport"
    assert_as_drawn_directly(canvas)


def test_pans_in_every_direction_look_as_drawn_directly(window, qtbot, monkeypatch) -> None:
    """Each zoom in turn in one window (a window a zoom cost ~0.4 s)."""
    canvas = window.canvas
    plans = _plans(monkeypatch)
    for zoom in ("fit", 100.0, 251.7, 400.0, 37.3):
        set_zoom(window, qtbot, zoom)
        if zoom == "fit":
            canvas.zoom_by(1.25)  # room to pan (fit leaves none) at a zoom the preview then draws exactly
            set_zoom(window, qtbot, canvas.zoom_percent())
        start = len(plans)
        for right, down in ((37, 0), (-53, 0), (0, 29), (0, -41), (45, 17), (-5, 3), (-61, -44)):
            _pan(canvas, right, down)
            canvas.viewport().repaint()
            assert_as_drawn_directly(canvas)
        assert sum(plan is not None for plan in plans[start:]) >= 5, zoom  # shifted, not drawn again


def test_a_sub_pixel_pan_is_exact(window, qtbot) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    for right, down in ((0.5, 0.25), (13.4, -7.7), (-0.3, 0.0)):
        _pan(canvas, right, down)
        canvas.viewport().repaint()
        assert_as_drawn_directly(canvas)


def test_a_middle_drag_with_the_brush_outline_shown_looks_as_drawn_directly(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 400.0)
    viewport = canvas.viewport()
    centre = QPoint(viewport.width() // 2, viewport.height() // 2)
    QTest.mouseMove(viewport, centre + QPoint(40, 30))  # the brush outline shows under the cursor
    plans = _plans(monkeypatch)
    start = canvas.view_box.viewRect()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, centre)
    for step in range(1, 5):
        viewport.repaint()  # exact before the step (the comparison drops the caches)
        QTest.mouseMove(viewport, centre + QPoint(-13 * step, 7 * step))
        viewport.repaint()
        assert_as_drawn_directly(canvas)
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       centre + QPoint(-52, 28))
    assert canvas.view_box.viewRect().center() != start.center()  # the drag panned
    assert sum(plan is not None for plan in plans) >= 3


def test_a_change_after_a_pan_is_drawn_exactly(window, qtbot) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    _pan(canvas, 21, -12)
    window.analysis.settings.set_threshold(0.62)  # a pan and a change in one paint: drawn whole
    canvas.viewport().repaint()
    assert_as_drawn_directly(canvas)
    _pan(canvas, -8, 19)
    canvas.viewport().repaint()
    assert_as_drawn_directly(canvas)


def test_pan_off_draws_every_layer(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    canvas.set_fast_pan(False)
    set_zoom(window, qtbot, 251.7)
    full = _full_draws(monkeypatch, canvas)
    _pan(canvas, 17, -9)
    canvas.viewport().repaint()
    assert canvas.base in full
    assert_as_drawn_directly(canvas)


def test_the_column_probe_finds_the_columns_a_shift_gets_wrong(window, qtbot) -> None:
    """Why the probes: a scaled layer shifted sideways is a source column off here and there (Qt steps
    in 16.16 fixed point from each span's start), and the maps say where."""
    canvas = window.canvas
    pan = canvas.compositor._pan
    dpr = canvas.viewport().devicePixelRatioF()
    width = round(canvas.viewport().width() * dpr)
    item, layers = canvas.base, canvas.view_box.childGroup
    off = 0
    for zoom in (251.7, 187.3, 333.1):
        set_zoom(window, qtbot, zoom)
        _pan(canvas, -150, 0, paint_first=False)  # the image runs past the left edge: spans start there
        canvas.view_box.updateMatrix()
        before = pan.probe.maps([(item, item.deviceTransform(canvas.viewportTransform()))], dpr, width, 10)
        start = layers.deviceTransform(canvas.viewportTransform())
        for right in range(1, 120, 7):
            _pan(canvas, right, 0, paint_first=False)
            canvas.view_box.updateMatrix()  # as a paint would
            view = canvas.viewportTransform()
            assert pan_shift(start, layers.deviceTransform(view), dpr) == (right, 0)
            moved = pan.probe.maps([(item, item.deviceTransform(view))], dpr, width, 10)
            assert before is not None and moved is not None
            shifted, now = before[0][0][0][: width - right], moved[0][0][0][right:]
            off += int(np.sum(shifted != now))
            assert np.all(np.abs(shifted - now) <= 1)  # a column off at most
            _pan(canvas, -right, 0, paint_first=False)
    assert off > 0  # the flaw the probes are there for does occur


def test_columns_a_shift_gets_wrong_are_drawn_again(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    plans = _plans(monkeypatch)
    for zoom in (251.7, 333.1, 187.3):
        set_zoom(window, qtbot, zoom)
        _pan(canvas, -150, 0)  # the image runs past the left edge
        for right in (7, 19, -23, 31, -11, 43):
            _pan(canvas, right, 0)
            canvas.viewport().repaint()
            assert_as_drawn_directly(canvas)
    extra = [sum(end - start for start, end in plan.columns) - abs(plan.shift[0]) for plan in plans if plan]
    assert len(extra) >= 18 and max(extra) > 0  # besides the exposed strip, columns a layer shifted wrong
