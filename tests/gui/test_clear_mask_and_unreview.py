"""Annotate ▸ Clear Mask (Delete): a wrong mask cleared in one key, as one undo step (the image then
smoke-free, status edited; Undo brings the mask and its status back), on an image and on a video frame;
Delete in the Filter by Name box still deletes text there; the shortcut sheet lists it. And Mark Reviewed
(R) on a reviewed image takes the mark off, without Undo: back to the status the review replaced, or
edited when the review is older than the history. Before, no key cleared a mask (a brush of the eraser over
the whole image, or Ctrl+A does nothing) and R on a reviewed image did nothing, silently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.shortcut_sheet import shortcut_rows
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import settle_saves
from tests.gui.key_clashes import key_clashes
from tests.gui.key_dispatch import dispatched_to

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip


def _press(window, key: Qt.Key) -> None:  # noqa: ANN001
    """`key` pressed on the canvas, for real (`dispatched_to` only catches where it goes)."""
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, key)


def _with_smoke(window) -> np.ndarray:  # noqa: ANN001
    """The shown image's mask given smoke, and a predicted status, as Pre-label All leaves one."""
    doc = window.annotation.controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[100:200, 50:300] = 1
    mask[10:20, 10:20] = 255
    with doc.history_block("accept prediction"):
        doc.replace_mask(mask)
        doc.set_status(Status.PREDICTED)
    return mask


def test_delete_clears_the_mask_as_one_undo_step(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                 tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    doc, project = controller.document, controller.project
    mask = _with_smoke(window)
    steps = doc.history.undo_count
    assert dispatched_to(window.canvas, QKeySequence("Delete")) == [("Clear Mask", False)]
    assert dispatched_to(window.canvas, QKeySequence("Backspace")) == [("Clear Mask", False)]
    _press(window, Qt.Key.Key_Delete)
    assert not doc.mask.any() and doc.status == Status.EDITED and doc.history.undo_count == steps + 1
    assert window.statusBar().currentMessage() == (f"Clear mask: done; {doc.image_id} is now smoke-free, status "
                                                   "edited (Undo brings the mask back)")
    settle_saves(window)
    saved = project.load_mask(doc.image_id)
    assert saved is not None and not saved.any() and project.entry(doc.image_id).status == Status.EDITED
    window.annotation.actions.undo.trigger()
    assert np.array_equal(doc.mask, mask) and doc.status == Status.PREDICTED
    window.annotation.actions.redo.trigger()
    assert not doc.mask.any()
    window.annotation.actions.clear_mask.trigger()  # empty already: nothing recorded, and said
    assert doc.history.undo_count == steps + 1
    assert window.statusBar().currentMessage() == "Clear mask: nothing to change"


def test_delete_in_the_filter_box_deletes_text_not_the_mask(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                            demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    doc = window.annotation.controller.document
    mask = _with_smoke(window)
    window.action_filter.trigger()
    box = window.images_panel.filter_edit
    qtbot.waitUntil(box.hasFocus)
    box.setText("fire")
    box.setCursorPosition(0)
    QTest.keyClick(box, Qt.Key.Key_Delete)
    assert box.text() == "ire" and np.array_equal(doc.mask, mask)


def test_the_sheet_lists_clear_mask_and_no_key_clashes(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                        demo_dir: Path, tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    rows = {text: keys for _where, text, keys in shortcut_rows(window)}
    assert rows["Clear Mask"] == ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
                                           for k in ("Delete", "Backspace"))
    assert key_clashes(window) == []
    menu = [a.text() for a in window.annotation.menu.actions()]
    assert menu.index("Clear Mask") == menu.index("&Copy Previous Image's Mask") + 1
    open_clip(qtbot, window, tmp_path)
    assert key_clashes(window) == []
    assert "Clear Mask" in {text for _where, text, _keys in shortcut_rows(window)}


def test_delete_clears_a_video_frames_mask(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                           tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    open_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    doc = controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[10:40, 10:40] = 1
    doc.replace_mask(mask)
    assert dispatched_to(window.canvas, QKeySequence("Delete")) == [("Clear Mask", False)]
    _press(window, Qt.Key.Key_Delete)
    assert not doc.mask.any()
    assert window.statusBar().currentMessage() == "Clear mask: done (Undo brings the mask back)"
    window.annotation.actions.undo.trigger()
    assert np.array_equal(doc.mask, mask)


def test_r_on_a_reviewed_image_takes_the_mark_off(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                  tmp_path: Path) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    doc = controller.document
    _with_smoke(window)
    assert dispatched_to(window.canvas, QKeySequence("R")) == [("Mark Reviewed", False)]
    _press(window, Qt.Key.Key_R)
    assert doc.status == Status.REVIEWED
    _press(window, Qt.Key.Key_R)
    assert doc.status == Status.PREDICTED  # the status the review replaced
    assert window.statusBar().currentMessage().endswith("predicted, no longer reviewed (R or Undo marks it "
                                                        "reviewed again)")
    window.annotation.actions.undo.trigger()
    assert doc.status == Status.REVIEWED
    settle_saves(window)
    image_id = doc.image_id
    window.session.set_current(1)  # away and back: the history kept; a review older than it (set here)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id != image_id,
                    timeout=10_000)
    other = controller.document
    other.set_status(Status.REVIEWED)
    other.history.clear()  # as a review made in an earlier session: no step says what it replaced
    _press(window, Qt.Key.Key_R)
    assert other.status == Status.EDITED  # a person checked it: edited, never a model's to replace


def test_delete_in_any_text_or_number_box_stays_there(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                      demo_dir: Path, tmp_path: Path) -> None:
    """Every visible, enabled text field and spin box of the window keeps Delete while focused (Qt's
    ShortcutOverride): the mask shown is never cleared from one."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    doc = window.annotation.controller.document
    mask = _with_smoke(window)
    boxes = [w for w in window.findChildren(QLineEdit) + window.findChildren(QAbstractSpinBox)
             if w.isVisible() and w.isEnabled() and not isinstance(w.parentWidget(), QAbstractSpinBox)]
    assert len(boxes) >= 3
    for box in boxes:
        box.setFocus()
        qtbot.waitUntil(box.hasFocus)
        for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            QTest.keyClick(box, key)
            assert np.array_equal(doc.mask, mask), (key, box.objectName() or type(box).__name__)
