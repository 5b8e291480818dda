"""R (Mark Reviewed) and Delete (Clear Mask) on a SmokeSeg image whose dataset label was not brought in ("dataset
label only": its project mask empty) said only "reviewed with no smoke in its mask: exported as a smoke-free image"
/ "now smoke-free, status edited": the annotator, about to export a smoke-free image against a SegmentationClass
label that shows smoke, was not told of the label. They now say so and point to Import Labels…; whether the label
holds smoke is read on a worker thread (never the GUI thread), the message updated when the answer comes, and
dropped when the image was changed meanwhile. Redo with every undone step redone said "no step has been undone
since the last edit" (there was no edit since); it now says the steps have been redone."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.annotation import label_smoke_words
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import blank_demo_window, drag, key, open_and_wait, settle_saves
from tests.gui.smokeseg_copy import writable_smokeseg

WAIT_MS = 10000


def _open_dataset(qtbot, make_window, shared_data: Path, tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN202
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, dataset)
    controller = window.annotation.controller
    doc = controller.document
    entry = controller.project.entry(doc.image_id)
    assert doc.status == Status.UNLABELED and entry.label is not None and not doc.mask.any()  # dataset label only
    assert (controller.project.load_label(doc.image_id) == 1).any()  # the samples' labels hold smoke
    return window, controller, doc


def _reads_off_gui_thread(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    threads: list[threading.Thread] = []
    real = label_smoke_words.read_mask

    def read(path):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread())
        return real(path)

    monkeypatch.setattr(label_smoke_words, "read_mask", read)
    return threads


def test_r_on_dataset_label_only_says_the_label_shows_smoke(qtbot, make_window, shared_data: Path,  # noqa: ANN001
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads = _reads_off_gui_thread(monkeypatch)
    window, controller, doc = _open_dataset(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    bar = window.statusBar()
    key(window, "R")
    assert doc.status == Status.REVIEWED and doc.history.undo_count == 1
    want = (f"{doc.image_id}: reviewed with no smoke in its mask, though its SegmentationClass label shows smoke: "
            "exported as a smoke-free image; Annotate ▸ Import Labels… brings the label in to edit (Undo, or R again, "
            "takes the review back)")
    qtbot.waitUntil(lambda: bar.currentMessage() == want, timeout=WAIT_MS)
    assert threads and threading.main_thread() not in threads  # the label read on a worker, never the GUI thread
    window.annotation.actions.undo.trigger()  # the undo step is kept
    assert doc.status == Status.UNLABELED
    key(window, "R")  # the answer is known now: said at once, no second read
    assert bar.currentMessage() == want and len(threads) == 1


def test_delete_on_dataset_label_only_says_the_label_shows_smoke(qtbot, make_window, shared_data: Path,  # noqa: ANN001
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    threads = _reads_off_gui_thread(monkeypatch)
    window, controller, doc = _open_dataset(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Delete)
    settle_saves(window)
    assert doc.status == Status.EDITED and not doc.mask.any()
    want = (f"Clear mask: done; {doc.image_id} is now smoke-free, status edited, though its SegmentationClass label "
            "shows smoke: Annotate ▸ Import Labels… brings the label in to edit (Undo takes it back)")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == want, timeout=WAIT_MS)
    assert threads and threading.main_thread() not in threads
    window.annotation.actions.undo.trigger()
    assert doc.status == Status.UNLABELED


def test_an_answer_after_the_image_changed_is_dropped(qtbot, make_window, shared_data: Path,  # noqa: ANN001
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, controller, doc = _open_dataset(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    release, real = threading.Event(), label_smoke_words.read_mask

    def held_read(path):  # noqa: ANN001, ANN202
        release.wait(WAIT_MS / 1000)
        return real(path)

    monkeypatch.setattr(label_smoke_words, "read_mask", held_read)
    key(window, "R")
    assert window.statusBar().currentMessage().endswith("(Undo, or R again, takes the review back)")
    window.annotation.actions.undo.trigger()  # the review taken back before the label's answer came
    undone = window.statusBar().currentMessage()
    assert undone.startswith("Undo: status reviewed → unlabelled"), undone
    answered = controller.label_smoke.answered
    with qtbot.waitSignal(answered, timeout=WAIT_MS):
        release.set()
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == undone  # not replaced by words of a review taken back


def test_redo_after_every_step_was_redone_says_so(qtbot, make_window, demo_dir, tmp_path) -> None:  # noqa: ANN001
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    actions = window.annotation.actions
    actions.undo.trigger()
    actions.redo.trigger()
    assert doc.mask[100, 120] == 1 and not doc.can_redo
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Nothing to redo: every step undone has been redone"
    drag(window, [(100, 140), (150, 140)])  # an edit since: the undone steps' words again
    QTest.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Nothing to redo: no step has been undone since the last edit"
    assert np.count_nonzero(doc.mask) > 0


def test_a_label_without_smoke_keeps_the_smoke_free_words(qtbot, make_window, shared_data: Path,  # noqa: ANN001
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    window, controller, doc = _open_dataset(qtbot, make_window, shared_data, tmp_path, monkeypatch)
    path = controller.project.label_path(doc.image_id)
    assert cv2.imwrite(str(path), np.zeros(doc.shape, np.uint8))  # the dataset's label: no smoke in it
    with qtbot.waitSignal(controller.label_smoke.answered, timeout=WAIT_MS) as answered:
        key(window, "R")
    assert answered.args == [str(path), False]
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == (f"{doc.image_id}: reviewed with no smoke in its mask: exported as a "
                                                   "smoke-free image (Undo, or R again, takes the review back)")
