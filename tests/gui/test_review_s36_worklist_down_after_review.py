"""Going down the worklist with the keyboard, Show: Not reviewed: Down opens an image, R marks it reviewed,
Down again... But R took the image's row out of the list (it is not "not reviewed" any more), the list was
left with no current row, and Down then opened its FIRST row: the annotator was sent back to the top of the
queue, and Down, R, Down, R reviewed the images 2, 1 instead of 2, 3 (found in the s36 working-day
review, on the demo). The same after an arrow key went to an image the list does not show. Down now opens
the row after the place the image shown has in the worklist's order, Up the one before it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from tests.gui.annotation_helpers import demo_window


def _worklist_focused(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel = window.annotation.worklist
    panel.filter.setCurrentIndex(panel.filter.findText("Not reviewed"))
    window.annotation.worklist_dock.raise_()
    panel.list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.list)
    return window


def _press(qtbot, window: MainWindow, key: Qt.Key) -> str:  # noqa: ANN001
    """`key` to the focused widget; the id of the image shown once its document is in (and the list
    refreshed, as it is before a person's next key: `WorklistPanel.refresh_later`)."""
    QTest.keyClick(QApplication.focusWidget(), key)
    qtbot.wait(20)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path)
    return controller.document.image_id


def test_down_after_r_opens_the_next_image_of_the_queue(qtbot, make_window, demo_dir: Path,
                                                          tmp_path: Path) -> None:
    window = _worklist_focused(qtbot, make_window, demo_dir, tmp_path)
    ids = [entry.id for entry in window.annotation.worklist.model.rows]
    assert len(ids) == 4
    assert _press(qtbot, window, Qt.Key.Key_Down) == ids[1]
    _press(qtbot, window, Qt.Key.Key_R)  # reviewed: its row leaves the list
    assert [entry.id for entry in window.annotation.worklist.model.rows] == [ids[0], ids[2], ids[3]]
    shown = _press(qtbot, window, Qt.Key.Key_Down)
    assert shown == ids[2], f"Down after R went to image {ids.index(shown) + 1} of 4, not to the next (3)"
    assert QApplication.focusWidget() is window.annotation.worklist.list


def test_up_after_r_opens_the_image_before(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = _worklist_focused(qtbot, make_window, demo_dir, tmp_path)
    ids = [entry.id for entry in window.annotation.worklist.model.rows]
    _press(qtbot, window, Qt.Key.Key_Down)
    _press(qtbot, window, Qt.Key.Key_Down)
    _press(qtbot, window, Qt.Key.Key_R)  # the third image reviewed
    assert _press(qtbot, window, Qt.Key.Key_Up) == ids[1]


def test_down_from_an_image_the_list_does_not_show(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """Image 2 reviewed (not listed); the window's Previous / Next Image keys reach it all the same: Down in
    the list then opens image 3, the one after it in the worklist's order."""
    window = _worklist_focused(qtbot, make_window, demo_dir, tmp_path)
    ids = [entry.id for entry in window.annotation.worklist.model.rows]
    _press(qtbot, window, Qt.Key.Key_Down)
    _press(qtbot, window, Qt.Key.Key_R)
    _press(qtbot, window, Qt.Key.Key_Down)  # image 3
    window.session.set_current(window.session.current_index - 1)  # image 2 again, as Previous Image goes
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == ids[1])
    assert _press(qtbot, window, Qt.Key.Key_Down) == ids[2]


def test_down_on_the_last_row_reviewed_stays(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    """The last image of the queue reviewed: Down has no image after it and leaves the image shown (it went
    back to the first row)."""
    window = _worklist_focused(qtbot, make_window, demo_dir, tmp_path)
    ids = [entry.id for entry in window.annotation.worklist.model.rows]
    assert _press(qtbot, window, Qt.Key.Key_End) == ids[3]
    _press(qtbot, window, Qt.Key.Key_R)
    assert _press(qtbot, window, Qt.Key.Key_Down) == ids[3]

