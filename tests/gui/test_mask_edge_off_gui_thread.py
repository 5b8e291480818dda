"""A huge mask set whole (reopening a 48-96 MP photo's image, another image's mask) computed its display
codes on the GUI thread (`mask_edge.display_codes`, in strips: 86-190 ms of the GUI thread under load,
bench/bench_mask_edge.py). From `mask_layer.WORKER_PIXELS` pixels they are computed on a worker, the
layer showing them when they come: the same codes; an edit made meanwhile drawn over them; the answer
for a mask replaced meanwhile dropped. Real SmokeSeg labels, counted as huge here (WORKER_PIXELS 1)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.annotation import mask_layer
from app.annotation.mask_edge import display_codes
from app.annotation.mask_layer import MaskLayer
from app.canvas import Canvas
from tests.gui.test_annotation_mask_whole_changes import shown_codes
from tests.gui.thread_spies import record_threads

LABELS = Path(__file__).resolve().parents[3] / "shared" / "data" / "smokeseg-samples" / "SegmentationClass"


def _labels(n: int) -> list[np.ndarray]:
    if not LABELS.is_dir():
        pytest.skip(f"the SmokeSeg samples are not here ({LABELS})")
    return [(np.asarray(Image.open(p)) > 0).astype(np.uint8) for p in sorted(LABELS.glob("*.png"))[:n]]


@pytest.fixture
def layer(qtbot, monkeypatch: pytest.MonkeyPatch) -> MaskLayer:  # noqa: ANN001
    monkeypatch.setattr(mask_layer, "WORKER_PIXELS", 1, raising=False)  # (none before: all on the GUI thread)
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.set_image(np.full((512, 512, 3), 128, np.uint8))
    return MaskLayer(canvas)


def test_the_codes_of_a_mask_set_whole_come_from_a_worker(layer: MaskLayer, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _labels(2)
    threads = record_threads(monkeypatch, {"codes": [(mask_layer, "display_codes")]})["codes"]
    layer.set_mask(first.copy())
    assert not (shown_codes(layer, first.shape)).any()  # nothing shown until the codes come
    layer.wait()
    np.testing.assert_array_equal(shown_codes(layer, first.shape), display_codes(first).copy())
    reopened = second.copy()
    layer.set_mask(reopened)  # the same shape: the tiles reused, the first mask's shown until then
    layer.wait()
    np.testing.assert_array_equal(shown_codes(layer, second.shape), display_codes(second).copy())
    assert threads and threading.main_thread() not in threads, [t.name for t in threads]


def test_an_edit_meanwhile_is_drawn_over_the_answer_and_a_stale_answer_is_dropped(layer: MaskLayer) -> None:
    first, second, third = _labels(3)
    layer.set_mask(first.copy())
    mask = second.copy()
    layer.set_mask(mask)  # the first mask's answer is stale now
    mask[100:140, 200:260] = 255  # a stroke before the codes come
    layer.update_rect((100, 140, 200, 260))
    layer.wait()
    np.testing.assert_array_equal(shown_codes(layer, mask.shape), display_codes(mask).copy())
    layer.set_mask(third.copy())
    layer.set_mask(None)  # closed before they came: nothing is shown
    layer.wait()
    assert not layer.pending and not layer.root.childItems() or not shown_codes(layer, third.shape).any()
