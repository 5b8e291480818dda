"""A whole-image command on a reviewed image takes its review off as a stroke does (Fill Holes, Remove
Specks, Dilate, Erode, Smooth, Copy Previous, Threshold to Mask and Clear Mask leave it *edited*, Accept
Prediction *predicted*): it leaves a reviewed-only export until R again. Session 34 made a stroke say so
("<image>: edited, no longer reviewed"), but a command said only "Fill holes: done" - the controller's
words were said first and the command's "done" replaced them at once, and Accept Prediction said
nothing of the review at all (found in the s36 working-day review: R, then Shift+H for a hole left, N;
the worklist counted one reviewed less, the status bar never said why). Each now says it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import click, demo_window, key

#: key -> the status the command leaves a reviewed image in
COMMANDS = {"Shift+H": Status.EDITED, "Shift+K": Status.EDITED, "Shift+D": Status.EDITED, "Shift+E": Status.EDITED,
            "Shift+S": Status.EDITED, "Shift+C": Status.EDITED, "Shift+T": Status.EDITED, "Delete": Status.EDITED,
            "Shift+A": Status.PREDICTED}


def _mask(shape: tuple[int, int], top: int) -> np.ndarray:
    """Smoke with a hole and a speck in it (every clean-up has something to change)."""
    mask = np.zeros(shape, np.uint8)
    mask[top:top + 100, top:top + 100] = 1
    mask[top + 40:top + 45, top + 40:top + 45] = 0
    mask[400:402, 400:402] = 1
    return mask


def test_each_command_on_a_reviewed_image_says_the_review_is_off(qtbot, make_window, demo_dir: Path,
                                                                 tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    controller.document.replace_mask(_mask(controller.document.shape, 100))  # the previous image's, to copy
    window.session.set_current(1)
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path)
    doc = controller.document
    probability = np.zeros(doc.shape, np.float32)
    probability[200:300, 200:300] = 0.9
    controller.set_probability(window.session.current_path, probability)
    unsaid = {}
    for sequence, after in COMMANDS.items():
        doc.replace_mask(_mask(doc.shape, 50))
        key(window, "R")
        assert doc.status == Status.REVIEWED
        key(window, sequence)
        assert doc.status == after, sequence
        said = window.statusBar().currentMessage()
        if "no longer reviewed" not in said or doc.image_id not in said:
            unsaid[sequence] = said
    assert not unsaid, f"the review went, unsaid: {unsaid}"


def test_a_command_on_an_edited_image_says_nothing_of_a_review(qtbot, make_window, demo_dir: Path,
                                                               tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    doc.replace_mask(_mask(doc.shape, 50))
    assert doc.status == Status.EDITED
    key(window, "Shift+H")
    assert window.statusBar().currentMessage() == "Fill holes: done"


def test_accept_prepared_on_the_worker_says_the_review_is_off(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                               monkeypatch) -> None:  # noqa: ANN001
    """A huge photo's Accept Prediction lands from its worker (`app.annotation.accept_worker`), its words
    said then: with the review it took off too (the worker's path taken here for a demo image)."""
    from app.annotation.accept_worker import AcceptWorker

    monkeypatch.setattr(AcceptWorker, "wanted", staticmethod(lambda doc: not doc.in_step))
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    doc.replace_mask(_mask(doc.shape, 50))
    probability = np.zeros(doc.shape, np.float32)
    probability[200:300, 200:300] = 0.9
    controller.set_probability(window.session.current_path, probability)
    key(window, "R")
    key(window, "Shift+A")
    qtbot.waitUntil(lambda: not controller.accepting.pending)
    assert doc.status == Status.PREDICTED
    said = window.statusBar().currentMessage()
    assert said.startswith("Accept prediction: done") and "no longer reviewed" in said, said


def test_the_wand_on_a_reviewed_image_says_the_review_is_off(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    """The wand says the area it grew ("Wand: 10000 px") after its commit: it replaced the controller's words too."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    doc.replace_mask(_mask(doc.shape, 50))
    probability = np.zeros(doc.shape, np.float32)
    probability[200:300, 200:300] = 0.9
    controller.set_probability(window.session.current_path, probability)
    key(window, "R")
    key(window, "W")
    click(window, 250, 250)
    assert doc.status == Status.EDITED
    said = window.statusBar().currentMessage()
    assert said.startswith("Wand: 10000 px") and "no longer reviewed" in said, said
