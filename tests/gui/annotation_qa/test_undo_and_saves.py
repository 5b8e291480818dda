"""Undo, imports and saves across images on the real window: undo after going to another image and
back, an import over visited images, a failed save retried at closing, an accepted empty prediction."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import drag, key
from tests.gui.annotation_qa.helpers import wait_image


def test_undo_and_redo_survive_going_to_another_image_and_back(qtbot, window) -> None:
    """Annotators look at the next image, see the last stroke on the previous one was wrong, go back
    and press Ctrl+Z: the stroke is undone (and saved), Ctrl+Shift+Z brings it back."""
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    drag(window, [(100, 300), (150, 300)])
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    drag(window, [(200, 200), (250, 200)])
    key(window, "PgUp")
    wait_image(qtbot, window, 0)
    assert window.annotation.actions.undo.isEnabled()
    key(window, "Ctrl+Z")
    doc = controller.document
    assert doc.mask[100, 120] == 1 and doc.mask[300, 120] == 0
    assert project.load_mask(image_id)[300, 120] == 0  # the undo is saved like any edit
    key(window, "Ctrl+Shift+Z")
    assert doc.mask[300, 120] == 1 and project.load_mask(image_id)[300, 120] == 1


def test_importing_labels_shows_the_imported_mask_of_a_visited_image(qtbot, window, demo_dir: Path) -> None:
    """Documents kept for undo must not hide masks written by an import."""
    controller = window.annotation.controller
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    key(window, "PgUp")
    wait_image(qtbot, window, 0)
    image_id = controller.document.image_id
    assert window.annotation.import_labels(demo_dir) == 4
    from fosp_core.io.masks import read_mask

    expected = read_mask(demo_dir / "SegmentationClass" / f"{image_id}.png")
    np.testing.assert_array_equal(controller.document.mask, expected)
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    second = controller.document.image_id
    np.testing.assert_array_equal(controller.document.mask,
                                  read_mask(demo_dir / "SegmentationClass" / f"{second}.png"))


def test_an_edit_whose_save_failed_is_saved_when_the_window_closes(qtbot, window) -> None:
    """"The edit is kept; it is saved again with the next edit" - and when there is no next edit on
    that image (the annotator moved on, then quit), closing the window saves it; it used to be lost."""
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    target = project.mask_path(doc.image_id)
    target.unlink(missing_ok=True)
    target.mkdir()  # the atomic replace fails (also as root)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert "Could not save" in window.statusBar().currentMessage()
    target.rmdir()  # the disk is fine again, but no edit of this image follows
    key(window, "PgDown")
    wait_image(qtbot, window, 1)
    window.close()
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[300, 150] == 1


def test_accepting_a_prediction_without_smoke_labels_the_image_smoke_free(window) -> None:
    """The model saw no smoke; Shift+A said "nothing to change" and the image stayed unlabeled, so the
    export left it out. Accepting it now saves the empty mask as PREDICTED (one undo step) and says so."""
    controller = window.annotation.controller
    doc = controller.document
    project, image_id = controller.registry.lookup(window.session.current_path)
    assert doc.status == Status.UNLABELED and project.load_mask(image_id) is None
    controller.set_probability(window.session.current_path, np.full(doc.shape, 0.05, np.float32))
    window.statusBar().clearMessage()
    key(window, "Shift+A")
    assert doc.status == Status.PREDICTED and not doc.mask.any()
    assert "no smoke" in window.statusBar().currentMessage().lower()
    assert project.entry(image_id).status == Status.PREDICTED
    saved = project.load_mask(image_id)
    assert saved is not None and not saved.any()
    assert window.annotation.actions.undo.isEnabled()
    key(window, "Ctrl+Z")
    assert doc.status == Status.UNLABELED and project.entry(image_id).status == Status.UNLABELED
