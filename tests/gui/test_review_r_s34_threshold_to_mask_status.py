"""Threshold to Mask (Shift+T) on an unlabelled image - the model's map at the Model panel's threshold,
nothing a person drew - left the image *edited*, a person's label: Compare Two Checkpoints took that mask
as ground truth ("project masks reviewed or edited (never predicted)"), Pre-label's "replace masks that
only a model made" passed it over, and the worklist counted it as edited. Accept Prediction, which
makes the same mask, leaves it *predicted*. Found in the s34 working-day review (Shift+T on an
unlabelled SmokeSeg image: status edited). Now Threshold to Mask on an image whose mask only a model
made (unlabelled or predicted) leaves it predicted, in the same undo step; on an image a person edited
it stays edited."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import demo_window, key


def _with_probability(window) -> np.ndarray:  # noqa: ANN001
    controller = window.annotation.controller
    doc = controller.document
    probability = np.zeros(doc.shape, np.float32)
    probability[40:90, 60:140] = 0.9
    controller.set_probability(controller.image_path, probability)
    assert doc.probability is not None
    return probability


def test_threshold_to_mask_on_an_unlabelled_image_leaves_it_predicted(qtbot, make_window, demo_dir: Path,
                                                                     tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    probability = _with_probability(window)
    assert doc.status == Status.UNLABELED
    key(window, "Shift+T")
    assert np.array_equal(doc.mask == 1, probability > 0.5)
    assert doc.status == Status.PREDICTED, f"a model-only mask was left {doc.status.value}"
    key(window, "Ctrl+Z")
    assert doc.status == Status.UNLABELED and not (doc.mask == 1).any()  # one undo step, status with it


def test_threshold_to_mask_on_an_edited_image_leaves_it_edited(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    _with_probability(window)
    mask = np.zeros(doc.shape, np.uint8)
    mask[200:220, 200:220] = 255  # a person's ignore band
    doc.replace_mask(mask)
    assert doc.status == Status.EDITED
    key(window, "Shift+T")
    assert doc.status == Status.EDITED
    assert (doc.mask[200:220, 200:220] == 255).all()
