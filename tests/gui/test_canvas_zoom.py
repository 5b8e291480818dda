"""Zoom steps of the canvas (app/zoom_preview.py, app/layer_compositor.py): previewed from the last
exact composite in one drawImage, whatever the layers shown, then drawn exactly: the canvas settles
on the pixels of drawing every layer directly."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.layer_compositor import LayerCompositor
from fosp_core.infer.result import Prediction
from tests.gui.canvas_helpers import assert_as_drawn_directly, drawn_items, pixels, review_window, set_zoom


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    """The review window with every analysis layer a full run gives shown."""
    win = review_window(qtbot, make_window, demo_dir, tmp_path)
    ctl = win.analysis
    base = ctl.prediction
    rgb = np.ascontiguousarray(win.canvas.base.image)
    focus = cv2.resize(cv2.resize(base.probability, (32, 32)), base.shape[::-1])
    ctl._show(Prediction(probability=base.probability, focus_map=focus, hole=focus > 0.15,
                         background=cv2.GaussianBlur(rgb, (0, 0), 3), tau=0.15,
                         foreground_energy={s: base.probability * (4.0 / s) for s in (32, 16, 8, 4)}))
    for layer in ctl.layers:
        ctl.layers.set_visible(layer.name, True)
    qtbot.wait(20)
    return win


def _wheel(canvas, steps: int) -> None:  # noqa: ANN001
    viewport = canvas.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    QApplication.sendEvent(viewport, QWheelEvent(
        centre, canvas.mapToGlobal(centre.toPoint()).toPointF(), QPoint(0, 0), QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))


def test_a_zoom_step_draws_no_layer_and_settles_as_drawn_directly(window, qtbot, monkeypatch) -> None:
    """By key and by wheel, from fit and from 251.7 %, in turn in one window (they were 4 tests, a window each:
    ~0.3 s of the 2-core CI's time a window); each case starts at its own zoom, drawn exactly."""
    canvas = window.canvas
    assert len(window.analysis.arrays) >= 10
    drawn = drawn_items(monkeypatch)
    for start in ("fit", 251.7):
        for how in ("key", "wheel"):
            case = f"{how} from {start}"
            set_zoom(window, qtbot, start)
            drawn.clear()
            for factor in (1.25, 1.25, 0.8):
                if how == "key":
                    canvas.zoom_by(factor)
                else:
                    _wheel(canvas, 1 if factor > 1 else -1)
                canvas.viewport().repaint()
                assert drawn == [] and canvas.compositor.previewing, case  # one scaled drawImage of the last composite
            preview = pixels(canvas)
            qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
            assert canvas.base in drawn, case
            exact = assert_as_drawn_directly(canvas)
            close = np.abs(preview.astype(np.int16) - exact).max(axis=2) <= 48
            assert close.mean() > 0.8, (case, close.mean())  # the preview showed the same view, roughly


def test_zooming_out_of_a_close_up_shows_the_whole_image_at_once(window, qtbot) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, "fit")
    whole = pixels(canvas)
    set_zoom(window, qtbot, 400.0)
    qtbot.waitUntil(lambda: canvas.compositor._preview.overview is not None, timeout=10_000)
    canvas.fit()
    canvas.viewport().repaint()
    assert canvas.compositor.previewing
    preview = pixels(canvas)
    close = np.abs(preview.astype(np.int16) - whole).max(axis=2) <= 48
    assert close.mean() > 0.8  # the overview, not the background, around the close-up


def test_a_change_during_a_zoom_preview_is_drawn_exactly_at_once(window, qtbot) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    canvas.zoom_by(1.25)
    canvas.viewport().repaint()
    assert canvas.compositor.previewing
    window.analysis.settings.set_threshold(0.62)
    canvas.viewport().repaint()
    assert not canvas.compositor.previewing
    assert_as_drawn_directly(canvas)


def test_a_pan_is_drawn_exactly(window, qtbot) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    canvas.view_box.translateBy(x=13.5, y=-7.25)
    canvas.viewport().repaint()
    assert not canvas.compositor.previewing
    assert_as_drawn_directly(canvas)


def test_a_zoom_step_during_the_exact_drawing_stops_it(window, qtbot, monkeypatch) -> None:
    canvas = window.canvas
    set_zoom(window, qtbot, 251.7)
    canvas.zoom_by(1.25)
    canvas.viewport().repaint()
    groups: list[object] = []
    original = LayerCompositor._refine_group
    monkeypatch.setattr(LayerCompositor, "_refine_group", lambda self, root: (groups.append(root), original(self, root)))
    compositor = canvas.compositor
    compositor._refine.setInterval(60_000)  # the pause after a step: only when the test says
    compositor.refine()  # as REFINE_MS after the step: one group per event-loop turn
    compositor.settler.step()  # two turns, by hand
    compositor.settler.step()
    assert len(groups) == 2 < len(compositor._roots())
    canvas.zoom_by(1.25)
    canvas.viewport().repaint()
    qtbot.wait(30)
    assert len(groups) == 2 and compositor.previewing  # the rest waits for the next pause
    compositor.refine()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    assert_as_drawn_directly(canvas)
