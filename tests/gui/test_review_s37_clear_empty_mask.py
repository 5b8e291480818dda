"""Clear Mask (Delete) on an image whose mask is empty did nothing (session 37's review, an annotator going
through a folder of photos): on an unlabelled image with no smoke, or one whose accepted prediction held none
(status predicted), Delete said "Clear mask: nothing to change" and left the status as it was, so the person's
"no smoke here" was not recorded: the image stayed out of an export (unlabelled) or a model's mask that Pre-label
All's "replace masks that only a model made" replaces (predicted). README says Delete makes the image smoke-free,
status edited, so Pre-label never replaces it, and Accept Prediction records an unlabelled image whose prediction
holds no smoke for the same reason. Now Clear Mask on an empty mask that only a model (or nobody) made sets the
status edited, one undo step, and says so; an edited or reviewed image with an empty mask has nothing to change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import blank_demo_window, settle_saves


def _delete(window) -> None:  # noqa: ANN001
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Delete)
    settle_saves(window)


@pytest.mark.parametrize("status", [Status.UNLABELED, Status.PREDICTED])
def test_delete_on_an_empty_mask_says_smoke_free(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                 status: Status) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc, project = controller.document, controller.project
    if status == Status.PREDICTED:  # an accepted prediction without smoke, as Accept Prediction leaves it
        doc.set_status(Status.PREDICTED)
        settle_saves(window)
    assert not doc.mask.any() and doc.status == status
    steps = doc.history.undo_count
    _delete(window)
    assert doc.status == Status.EDITED, doc.status  # was: left as it was
    assert doc.history.undo_count == steps + 1 and not doc.mask.any()
    said = window.statusBar().currentMessage()
    assert said == (f"Clear mask: done; {doc.image_id} is now smoke-free, status edited (its mask was empty; Undo "
                    "takes it back)"), said
    saved = project.load_mask(doc.image_id)
    assert saved is not None and not saved.any() and project.entry(doc.image_id).status == Status.EDITED
    window.annotation.actions.undo.trigger()
    assert doc.status == status and not doc.mask.any()
    window.annotation.actions.redo.trigger()
    assert doc.status == Status.EDITED
    _delete(window)  # a person's smoke-free already: nothing to record
    assert doc.history.undo_count == steps + 1
    assert window.statusBar().currentMessage() == "Clear mask: nothing to change"


def test_delete_on_an_empty_reviewed_mask_changes_nothing(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                         tmp_path: Path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    doc.set_status(Status.REVIEWED)  # reviewed smoke-free: the person's word already
    steps = doc.history.undo_count
    _delete(window)
    assert doc.status == Status.REVIEWED and doc.history.undo_count == steps
    assert window.statusBar().currentMessage() == "Clear mask: nothing to change"
    assert np.array_equal(doc.mask, np.zeros(doc.shape, np.uint8))
