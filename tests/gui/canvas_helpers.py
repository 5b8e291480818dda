"""What the canvas tests share: a shown window with the layers of a review, grabbing the canvas
both ways (composited, drawn directly) and spying on what the compositor draws."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtGui import QImage

from app.canvas import Canvas
from app.layer_item import LayerItem
from fosp_core.annotation.tool_state import Tool
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import copy_demo, open_and_wait


def prediction_from_label(label: np.ndarray) -> Prediction:
    """A plausible probability map for a real label: its smoke blurred, plus smooth noise (a mask
    and an error map with real, ragged edges)."""
    smoke = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), sigmaX=6)
    noise = cv2.resize(np.random.default_rng(0).random((12, 12), np.float32), label.shape[::-1])
    return Prediction(probability=np.clip(0.8 * smoke + 0.4 * (noise - 0.5), 0, 1).astype(np.float32))


def review_window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """A shown window on a demo photo with the layers of a review: probability, prediction mask and
    error map (from a prediction made from the photo's label) and the annotation mask."""
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    folder = copy_demo(demo_dir, tmp_path / "demo")
    open_and_wait(qtbot, win, folder)
    path = win.session.current_path
    label = read_mask(folder / "SegmentationClass" / f"{path.stem}.png")
    ctl = win.analysis
    for name in ("prediction mask", "error map"):
        ctl.layers.set_visible(name, True)
    ctl._show(prediction_from_label(label))  # what a finished run shows, without a model
    assert ctl.label is not None and {"probability", "prediction mask", "error map"} <= set(ctl.arrays)
    win.annotation.controller.state.set_tool(Tool.BRUSH)
    win.annotation.controller.state.set_radius(3)
    qtbot.wait(20)
    return win


def pixels(canvas: Canvas) -> np.ndarray:
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


def assert_as_drawn_directly(canvas: Canvas) -> np.ndarray:
    """The composited canvas (caches as they are) shows exactly what drawing every layer shows."""
    assert canvas.composited, "the compositor gave up (see the log)"
    cached = pixels(canvas)
    canvas.set_composited(False)
    direct = pixels(canvas)
    canvas.set_composited(True)
    differ = np.any(cached != direct, axis=2)
    assert not differ.any(), f"{int(differ.sum())} pixels differ, e.g. at (row, col) {np.argwhere(differ)[0]}"
    return cached


def settle_buffers(canvas: Canvas) -> None:
    """Paint, then make the buffers the compositor makes once the canvas has been still a while
    (one group per event-loop turn: the turns are run here)."""
    canvas.viewport().repaint()
    settler = canvas.compositor.settler
    settler.make_buffers()
    for _ in range(100):
        if not settler.pending:
            break
        settler.step()
    assert not settler.pending


def set_zoom(window, qtbot, zoom: str | float) -> None:  # noqa: ANN001
    """Zoom, and wait until the zoom preview (if any) has been drawn exactly."""
    canvas = window.canvas
    if zoom == "fit":
        canvas.fit()
    else:
        canvas.set_zoom(float(zoom))
    qtbot.wait(10)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)


def drawn_items(monkeypatch) -> list[LayerItem]:  # noqa: ANN001
    """The LayerItems drawn (into the composite or a buffer) from now on."""
    drawn: list[LayerItem] = []
    original = LayerItem.draw
    monkeypatch.setattr(LayerItem, "draw", lambda item, painter: (drawn.append(item), original(item, painter)))
    return drawn


