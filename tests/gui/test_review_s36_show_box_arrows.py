"""The worklist's Show and Sort by boxes, reached with Tab, step their choices with Down and Up (the window
leaves them those keys, `app.arrows_stay`). But each step is an "activated" choice, and a choice made from
the keyboard handed the keys back to the image at once (session 3x, so that Space pans after a choice from
the menu): the first Down chose "Not reviewed" and left the box, the second Down went to the next IMAGE.
"Edited" could not be reached with the arrows (s36 working-day review: Tab to Show, Down, Down). The arrows
now keep the keys in the box, as in any other drop-down of the docks; Esc gives them back, and a choice from
the opened menu (Space, Down, Enter) still does at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from tests.gui.annotation_helpers import demo_window


def _tab_to(window: MainWindow, widget) -> None:  # noqa: ANN001 - a QWidget
    window.canvas.setFocus()
    for _ in range(60):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is widget:
            return
    raise AssertionError("Tab never reached it")


def _window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.annotation.worklist_dock.raise_()
    qtbot.waitUntil(window.annotation.worklist.filter.isVisible)
    return window


def test_down_steps_the_show_choices_and_keeps_the_image(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, demo_dir, tmp_path)
    show = window.annotation.worklist.filter
    _tab_to(window, show)
    at = window.session.current_index
    steps = show.findText("Edited")
    assert steps >= 2
    for _ in range(steps):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert show.currentText() == "Edited", f"{steps} Downs chose {show.currentText()!r}"
    assert window.session.current_index == at, "a Down meant for Show stepped the image"
    assert QApplication.focusWidget() is show
    QTest.keyClick(show, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas


def test_down_steps_the_sort_choices(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, demo_dir, tmp_path)
    sort = window.annotation.worklist.sort
    _tab_to(window, sort)
    QTest.keyClick(sort, Qt.Key.Key_Down)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert sort.currentText() == "Smoke size"


def test_a_choice_from_the_opened_menu_still_gives_the_keys_back(qtbot, make_window, demo_dir: Path,
                                                                  tmp_path: Path) -> None:
    window = _window(qtbot, make_window, demo_dir, tmp_path)
    show = window.annotation.worklist.filter
    _tab_to(window, show)
    QTest.keyClick(show, Qt.Key.Key_Down)  # a step first: the menu's choice after it still gives them back
    show.showPopup()
    qtbot.waitUntil(show.view().isVisible)
    QTest.keyClick(show.view(), Qt.Key.Key_Down)
    QTest.keyClick(show.view(), Qt.Key.Key_Return)
    assert show.currentIndex() == 2
    assert QApplication.focusWidget() is window.canvas
