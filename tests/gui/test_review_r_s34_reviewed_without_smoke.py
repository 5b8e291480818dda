"""R (Mark Reviewed) on an image whose mask holds no smoke - nothing labelled yet, or the model's result
not accepted yet - said only "<image>: reviewed", and the image went into the next export as a checked
smoke-free example: on a camera's plume that is a missed smoke taught to the fine-tune, and nothing told
the annotator (found in the s34 working-day review: N to an unlabelled image of SmokeSeg, whose every
image has smoke, then R). Accept Prediction and Clear Mask already say "smoke-free" when they leave
the image so; Mark Reviewed now says it too, and how to take it back. With smoke in the mask it says
what it said."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import demo_window, key


def test_reviewing_an_image_without_smoke_says_it_is_kept_smoke_free(qtbot, make_window, demo_dir: Path,
                                                                      tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    assert not (doc.mask == 1).any()
    key(window, "R")
    said = window.statusBar().currentMessage()
    assert doc.status == Status.REVIEWED
    assert "smoke-free" in said and "Undo" in said, f"R on an image without smoke said {said!r}"


def test_reviewing_an_image_with_smoke_says_reviewed(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[10:20, 10:20] = 1
    doc.replace_mask(mask)
    key(window, "R")
    said = window.statusBar().currentMessage()
    assert doc.status == Status.REVIEWED
    assert said == f"{doc.image_id}: reviewed"
