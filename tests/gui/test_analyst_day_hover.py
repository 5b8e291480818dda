"""An analyst's day, hover readouts: the value in the status bar is the value of the pixel under the
cursor, at 1:1, zoomed in and fitted, on a non-square image of odd size (no model: a prediction
whose every pixel holds a different probability is shown as the controller shows a result)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtTest import QTest

from fosp_core.infer.result import Prediction
from tests.gui.annotation_helpers import viewport_pos

SHAPE = (23, 37)  # odd, not square


def _window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    h, w = SHAPE
    path = tmp_path / "odd.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (h, w, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    probability = (np.arange(h * w, dtype=np.float32) / (h * w)).reshape(h, w)  # a value per pixel
    window.analysis._show(Prediction(probability=probability, focus_map=1 - probability))
    return window, probability


@pytest.mark.parametrize("zoom", ["fit", "1:1", "3x fit"])
def test_hover_reads_the_pixel_under_the_cursor(qtbot, make_window, tmp_path: Path, zoom: str) -> None:
    window, probability = _window(qtbot, make_window, tmp_path)
    canvas = window.canvas
    canvas.fit()
    qtbot.wait(20)
    fitted = canvas.zoom_percent()
    {"fit": lambda: None, "1:1": canvas.actual_size, "3x fit": lambda: canvas.set_zoom(3 * fitted)}[zoom]()
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
