"""A 12-megapixel layer never makes the GUI thread render or wait for a display-pyramid level
(app/display_pyramid.py, app/layer_item.py): on an image switch and on a zoom step after layers were
shown, QA measured 140 ms and 122 ms stalls there. The canvas shows a stand-in and swaps in the level
when the background thread has it; drawn directly (an export) the level is exact at once."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from app import display_pyramid
from app.analysis.render import lookup_table
from app.canvas import Canvas
from app.display_pyramid import GUI_RENDER_PIXELS, render_level
from fosp_core.io.masks import read_mask

GUI = threading.main_thread().name
SIZE = (4000, 3000)  # width, height


def _probability(demo_dir: Path, index: int) -> np.ndarray:
    """float32 (3000, 4000): a real photo's smoke, blurred, upscaled."""
    label = read_mask(sorted((demo_dir / "SegmentationClass").glob("*.png"))[index])
    small = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), 4)
    return cv2.resize(small, SIZE, interpolation=cv2.INTER_LINEAR)


@pytest.fixture()
def canvas(qtbot, demo_dir: Path):  # noqa: ANN201
    canvas = Canvas()
    canvas.resize(700, 500)
    qtbot.addWidget(canvas)
    canvas.show()
    canvas.set_image(np.full((SIZE[1], SIZE[0], 3), 90, np.uint8))
    return canvas


def _layer(canvas: Canvas, probability: np.ndarray):  # noqa: ANN202
    item = canvas.add_overlay("probability")
    item.setAutoDownsample(True)
    item.setLookupTable(lookup_table("scalar", "inferno"), update=False)
    item.setImage(probability, autoLevels=False, levels=(0.0, 1.0))
    item.setOpacity(0.6)
    return item


class _Renders:
    """Counts render_level calls by thread; the background thread's wait for `release` when `hold`."""

    def __init__(self, monkeypatch, hold: bool = False) -> None:  # noqa: ANN001
        self.calls: list[tuple[tuple[int, int], str, int]] = []  # factors, thread, image pixels
        self.returned: list[tuple[int, int]] = []
        self.release = threading.Event()
        if not hold:
            self.release.set()
        original = display_pyramid.render_level

        def spy(image, levels, lut, factors):  # noqa: ANN001, ANN202
            thread = threading.current_thread().name
            self.calls.append((factors, thread, image.shape[0] * image.shape[1]))
            if thread != GUI:
                self.release.wait(30)
            result = original(image, levels, lut, factors)
            self.returned.append(factors)
            return result

        monkeypatch.setattr(display_pyramid, "render_level", spy)

    def on_gui(self) -> list[tuple[tuple[int, int], str, int]]:
        return [c for c in self.calls if c[1] == GUI and c[2] > GUI_RENDER_PIXELS]


def _paint(canvas: Canvas, qtbot) -> None:  # noqa: ANN001
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)
    canvas.viewport().repaint()


def _settled(canvas: Canvas, qtbot, item) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not item.standing_in, timeout=20000)
    canvas.viewport().repaint()


def _exact(item) -> QImage:  # noqa: ANN001
    return render_level(item.image, item.levels, item.lut, item._computeDownsampleFactors())


def test_an_image_switch_renders_no_level_on_the_gui_thread(canvas, qtbot, demo_dir: Path, monkeypatch) -> None:
    renders = _Renders(monkeypatch)
    item = _layer(canvas, _probability(demo_dir, 0))
    _paint(canvas, qtbot)
    _settled(canvas, qtbot, item)
    assert item.qimage == _exact(item)
    for index in (1, 0):  # Right, then Left: the layer's new arrays
        item.setImage(_probability(demo_dir, index), autoLevels=False, levels=(0.0, 1.0))
        canvas.viewport().repaint()
        assert renders.on_gui() == []
        assert item.standing_in  # a preview of the new image, not the old picture
        assert item.qimage.width() * item.qimage.height() <= display_pyramid.PREVIEW_PIXELS
        _settled(canvas, qtbot, item)
        assert item.qimage == _exact(item)
    assert renders.on_gui() == []
    assert {c[1] for c in renders.calls} == {"display-pyramid"}


def test_a_zoom_step_never_waits_for_the_background_thread(canvas, qtbot, demo_dir: Path, monkeypatch) -> None:
    """The level the view wants is being rendered (held): the paint shows a stand-in instead of
    waiting; the level is swapped in when it comes."""
    renders = _Renders(monkeypatch, hold=True)
    item = _layer(canvas, _probability(demo_dir, 0))
    try:
        canvas.fit()
        canvas.viewport().repaint()
        fit = item._lastDownsample
        assert renders.on_gui() == [] and fit[0] > 1 and item.standing_in
        qtbot.waitUntil(lambda: bool(renders.calls), timeout=5000)  # the background thread holds the fit level
        canvas.set_zoom(100.0)
        _paint(canvas, qtbot)
        assert item._lastDownsample == (1, 1) and item.standing_in
        assert renders.returned == [] and not renders.release.is_set()  # painted while it was held
    finally:
        renders.release.set()
    _settled(canvas, qtbot, item)
    assert item._lastDownsample == (1, 1) and item.qimage == _exact(item)
    canvas.fit()
    qtbot.waitExposed(canvas)
    qtbot.wait(50)
    _paint(canvas, qtbot)
    assert item._lastDownsample[0] > 1
    assert not item.standing_in and item.qimage == _exact(item)  # the fit level, kept
    assert renders.on_gui() == []


def test_a_direct_draw_of_the_scene_renders_the_exact_level(canvas, qtbot, demo_dir: Path) -> None:
    """An export draws the scene itself: no stand-in there."""
    item = _layer(canvas, _probability(demo_dir, 2))
    canvas.fit()
    canvas.viewport().repaint()
    assert item.standing_in
    target = QImage(700, 500, QImage.Format.Format_ARGB32)
    painter = QPainter(target)
    try:
        canvas.render(painter)  # QGraphicsView.render: every item draws itself (the compositor is off)
    finally:
        painter.end()
    assert not item.standing_in and item.qimage == _exact(item)


def test_a_small_layer_is_still_rendered_at_once(qtbot, demo_dir: Path) -> None:
    """A megapixel: a few milliseconds, no stand-in."""
    canvas = Canvas()
    canvas.resize(700, 500)
    qtbot.addWidget(canvas)
    canvas.show()
    canvas.set_image(np.full((1000, 1000, 3), 90, np.uint8))
    item = _layer(canvas, cv2.resize(_probability(demo_dir, 0), (1000, 1000)))
    canvas.fit()
    qtbot.waitExposed(canvas)
    qtbot.wait(50)
    _paint(canvas, qtbot)
    assert item._lastDownsample[0] > 1
    assert not item.standing_in and item.qimage == _exact(item)


def test_a_level_of_a_replaced_image_is_never_shown(canvas, qtbot, demo_dir: Path, monkeypatch) -> None:
    """Right pressed while the first image's level is being rendered: that level is dropped."""
    renders = _Renders(monkeypatch, hold=True)
    item = _layer(canvas, _probability(demo_dir, 0))
    try:
        canvas.fit()
        canvas.viewport().repaint()
        qtbot.waitUntil(lambda: bool(renders.calls), timeout=5000)
        item.setImage(_probability(demo_dir, 1), autoLevels=False, levels=(0.0, 1.0))
        canvas.viewport().repaint()
        assert item.standing_in and renders.on_gui() == []
    finally:
        renders.release.set()
    _settled(canvas, qtbot, item)
    assert item.qimage == _exact(item)
    assert item.qimage != render_level(_probability(demo_dir, 0), item.levels, item.lut, item._lastDownsample)
