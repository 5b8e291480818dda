"""An analyst's day, hover readouts: the value in the status bar is the value of the pixel under the
cursor, at 1:1, zoomed in and fitted, on a non-square image of odd size (no model: a prediction
whose every pixel holds a different probability is shown as the controller shows a result)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtTest import QTest

from fosp_core.infer.result import Prediction
from tests.gui.annotation_helpers import viewport_pos
from tests.gui.odd_window import odd_photo_window, show_ramp

SHAPE = (23, 37)  # odd, not square


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    window = odd_photo_window(qtbot, make_window, tmp_path, SHAPE, seed=1)
    return window, show_ramp(window, SHAPE)


def test_hover_reads_the_pixel_under_the_cursor(qtbot, make_window, tmp_path: Path) -> None:
    """Each zoom in turn in one window (a window a zoom cost ~0.45 s), each from the whole image in view."""
    window, probability = _window(qtbot, make_window, tmp_path)
    canvas = window.canvas
    for zoom in ("fit", "1:1", "3x fit"):
        canvas.fit()
        qtbot.wait(20)
        fitted = canvas.zoom_percent()
        {"fit": lambda: None, "1:1": canvas.actual_size, "3x fit": lambda f=fitted: canvas.set_zoom(3 * f)}[zoom]()
        qtbot.wait(20)
        h, w = SHAPE
        rect = canvas.view_box.viewRect()
        left, top = max(0, math.ceil(rect.left())), max(0, math.ceil(rect.top()))
        right, bottom = min(w, math.floor(rect.right())) - 1, min(h, math.floor(rect.bottom())) - 1
        pixels = [(left, top), (right, bottom), (right, top), (left, bottom), ((left + right) // 2, (top + bottom) // 3)]
        for x, y in pixels:
            QTest.mouseMove(canvas.viewport(), viewport_pos(window, x, y))
            qtbot.wait(50)  # Qt drops a synthetic move that follows another at once
            qtbot.waitUntil(lambda x=x, y=y: f"p {probability[y, x]:.3f}" in window.analysis.hover_label.text())
            text = window.analysis.hover_label.text()
            assert f"focus {1 - probability[y, x]:.3f}" in text, (zoom, x, y, text)
            assert f"x {x:>5}  y {y:>5}" in window.readouts.pixel.text(), (zoom, x, y)


def test_hover_says_mask_label_and_error_and_follows_the_threshold(qtbot, make_window, tmp_path: Path) -> None:
    """Under the cursor the readout gave p, but not whether that pixel is in the mask (under a region
    rule a pixel above the threshold can be out of it), nor what the label says there, nor which
    foreground energy was which ("fg 0.12/0.40/0.33/0.10"); and a threshold move under a still mouse
    must change what it says."""
    from app.analysis.readouts import hover_text

    h, w = SHAPE
    probability = np.zeros((h, w), np.float32)
    probability[2:6, 2:6] = 0.62
    energy = {s: np.full((h, w), s / 100, np.float32) for s in (32, 16, 8, 4)}
    label = np.zeros((h, w), np.uint8)
    label[10:14, 10:14] = 1
    label[0, :] = 255
    window, _ = _window(qtbot, make_window, tmp_path)
    ctl = window.analysis
    ctl.shown.scores.label_for = lambda _path, _shape: label  # the image's ground truth
    ctl._show(Prediction(probability=probability, foreground_energy=energy))
    ctl.canvas.hovered.emit(3, 3)
    text = ctl.hover_label.text()
    assert "in mask" in text and "not in mask" not in text and "label background" in text and "FP" in text, text
    assert "/32 0.32" in text and "/4 0.04" in text, text
    ctl.canvas.hovered.emit(11, 11)
    assert "not in mask" in ctl.hover_label.text() and "label smoke" in ctl.hover_label.text()
    assert "FN" in ctl.hover_label.text()
    ctl.canvas.hovered.emit(5, 0)
    assert "label ignored" in ctl.hover_label.text()
    ctl.canvas.hovered.emit(3, 3)
    ctl.settings.set_threshold(0.7)  # the mouse stays
    assert "not in mask" in ctl.hover_label.text() and "FP" not in ctl.hover_label.text()
    assert ctl.hover_label.text() == hover_text(ctl.arrays, 3, 3, ctl.label)
