"""A commit on a painted video frame redraws its ground truth's outline around the rectangle it changed
only (app.video.frame_truth.put_label_layers, LayerOverlays.put_layer, render.retrace_contours), and the
picture is the one a whole redraw gives: random strokes (paint and erase), the canvas's RGBA compared
after each with the layers drawn again whole."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage

from app.analysis import layer_drawing as tracing_module  # where the layers' outlines are traced
from app.analysis.overlays import OVERLAY_PREFIX, outline_item
from app.analysis.render import outline_path, retrace_contours, trace_contours
from app.video.frame_truth import put_label_layers
from fosp_core.annotation.tools import brush
from tests.gui.frame_layer_helpers import open_test_clip, window_with_model
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, tiny_video_input  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _rgba(window) -> np.ndarray:  # noqa: ANN001
    image = window.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    view = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return view.reshape(image.height(), image.bytesPerLine())[:, :4 * image.width()].copy()


def _curve(window) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    x, y = outline_item(window.canvas.overlay(OVERLAY_PREFIX + "ground truth")).getData()
    return np.asarray(x), np.asarray(y)


def test_random_strokes_redraw_the_changed_rectangle_as_a_whole_redraw_would(
        qtbot, make_window, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = window_with_model(qtbot, make_window, tiny)
    ctl, video = window.analysis, window.video
    layers = video.frame_layers
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)
    # and the video's own probability of frame 0 (its timeline's path, another worker than the frame
    # layers'): under load it landed mid-test, between a stroke's grab and the whole redraw's, its overlay
    # shown over the whole frame in the second only
    qtbot.waitUntil(lambda: 0 in video.cache and video.overlay.prob_item.isVisible(), timeout=WAIT_MS)
    for name in ("ground truth", "error map"):
        ctl.layers.set_visible(name, True)
    doc = video.document
    assert doc is not None
    height, width = doc.shape
    mask = np.zeros(doc.shape, np.uint8)
    mask[height // 4:height // 2, width // 4:width // 2] = 1
    assert doc.replace_mask(mask)  # the first commit: layers made and drawn whole
    traced: list[str] = []
    whole, part = tracing_module.trace_contours, tracing_module.retrace_contours
    monkeypatch.setattr(tracing_module, "trace_contours", lambda *a: traced.append("whole") or whole(*a))
    monkeypatch.setattr(tracing_module, "retrace_contours", lambda *a: traced.append("rect") or part(*a))
    rng = np.random.default_rng(7)
    strokes = 0
    for i in range(16):
        points = [(int(rng.integers(0, width)), int(rng.integers(0, height))) for _ in range(2)]
        if not brush(doc, points, int(rng.integers(2, 9)), (1, 1, 0, 255)[i % 4]):  # paint, erase, unsure
            continue
        qtbot.wait(1)
        assert traced[-1] == "rect"  # the stroke's rectangle only
        incremental, curve = _rgba(window), _curve(window)
        fresh = layers.truth.layers()
        put_label_layers(ctl.overlays, {}, None)  # taken away, then drawn again whole
        put_label_layers(ctl.overlays, fresh, None)
        qtbot.wait(1)
        assert traced[-1] == "whole"
        assert np.array_equal(incremental, _rgba(window))
        x, y = _curve(window)
        assert np.array_equal(curve[0], x) and np.array_equal(curve[1], y)
        assert np.array_equal(x, outline_path(doc.mask == 1)[0])
        strokes += 1
    assert strokes >= 10


def test_retracing_a_changed_rectangle_gives_the_whole_tracing() -> None:
    rng = np.random.default_rng(1)
    for _ in range(120):
        height, width = (int(v) for v in rng.integers(20, 100, 2))
        mask = np.zeros((height, width), np.uint8)
        for _ in range(int(rng.integers(0, 6))):
            centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
            cv2.circle(mask, centre, int(rng.integers(1, 15)), 1, -1)
        mask = mask.astype(bool)
        contours, boxes = trace_contours(mask)
        for kind in range(6):
            y0, x0 = int(rng.integers(0, height)), int(rng.integers(0, width))
            y1, x1 = min(height, y0 + int(rng.integers(1, 30))), min(width, x0 + int(rng.integers(1, 30)))
            patch = mask[y0:y1, x0:x1]
            patch[:] = rng.random(patch.shape) < 0.5 if kind % 3 == 0 else kind % 3 == 1
            contours, boxes = retrace_contours(contours, boxes, mask, (y0, y1, x0, x1))
            full, full_boxes = trace_contours(mask)
            assert len(full) == len(contours)
            assert all(np.array_equal(a, b) for a, b in zip(full, contours, strict=True))
            assert np.array_equal(boxes, full_boxes)
