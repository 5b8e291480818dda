"""A huge mask's display codes come from a worker (e3fce3b8); an edit made meanwhile is drawn at once
and again over the worker's answer. An edit that empties a large region (Clear Mask, an undone fill:
a rectangle over `mask_layer._BIG` pixels) was not noted when, at that moment, neither the mask nor the
tiles showed anything there (a new image's tiles are empty until the answer comes): the answer, computed
from the mask as it was before the edit, then showed the erased smoke, and it stayed. Real SmokeSeg
labels; huge from 1 pixel (WORKER_PIXELS) and large from 1 pixel (_BIG) here."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.annotation import mask_layer
from app.annotation.mask_layer import MaskLayer
from app.canvas import Canvas
from tests.gui.test_annotation_mask_whole_changes import shown_codes

LABELS = Path(__file__).resolve().parents[3] / "shared" / "data" / "smokeseg-samples" / "SegmentationClass"


def test_a_region_cleared_before_the_codes_come_stays_clear(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    if not LABELS.is_dir():
        pytest.skip(f"the SmokeSeg samples are not here ({LABELS})")
    label = next(m for m in ((np.asarray(Image.open(p)) > 0).astype(np.uint8) for p in sorted(LABELS.glob("*.png")))
                 if m.any())
    monkeypatch.setattr(mask_layer, "WORKER_PIXELS", 1)
    monkeypatch.setattr(mask_layer, "_BIG", 1)
    computed, gate = threading.Event(), threading.Event()
    whole_codes = mask_layer._whole_codes

    def held(*args):  # noqa: ANN002, ANN202 - the worker has read the mask; its answer waits for the edit
        found = whole_codes(*args)
        computed.set()
        gate.wait(10)
        return found

    monkeypatch.setattr(mask_layer, "_whole_codes", held)
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.set_image(np.full((*label.shape, 3), 128, np.uint8))
    layer = MaskLayer(canvas)
    mask = label.copy()
    layer.set_mask(mask)  # the image opened: its saved mask's codes asked of the worker
    assert computed.wait(10)
    mask[:] = 0  # Clear Mask before the answer is shown
    layer.update_rect((0, mask.shape[0], 0, mask.shape[1]))
    gate.set()
    layer.wait()
    assert not shown_codes(layer, mask.shape).any(), "the cleared smoke is shown"
