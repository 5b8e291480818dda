"""Session 32, an annotator who Tabs through the window: the Annotate and Worklist docks share their
places with the Model and Layers docks (tabs), and Tab went into the docks behind the tab shown - the
radius slider, the opacity slider, the worklist - which Qt keeps "visible" far off the window: the focus
was on a control nobody could see (a screen reader read it, the eye found no focus), and the arrow keys
then moved an unseen slider. Now a dock whose control takes the focus comes to the front (its tab
chosen), so every stop of Tab and Shift+Tab is on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar, QWidget

from app.main_window import MainWindow
from tests.gui.keyboard_day_helpers import day_window, open_clip


def _unseen(widget: QWidget) -> bool:
    return widget.visibleRegion().isEmpty()


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    annotate, worklist = window.annotation.tool_dock, window.annotation.worklist_dock
    for dock in (annotate, worklist):
        behind = window.tabifiedDockWidgets(dock)
        assert behind, f"{dock.objectName()} shares no place: nothing to hide it"
        behind[0].raise_()  # the Model / Layers tab shown, ours behind it
    qtbot.waitUntil(lambda: _unseen(annotate) and _unseen(worklist))
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    return window


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_every_tab_stop_is_on_screen(qtbot, window: MainWindow, key: Qt.Key) -> None:
    unseen, stops = [], 0
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), key)
        focus = QApplication.focusWidget()
        if focus is window.canvas:
            break
        stops += 1
        qtbot.wait(1)  # the dock raised, laid out
        if _unseen(focus):
            unseen.append(f"{type(focus).__name__}({focus.accessibleName()!r})")
    assert stops > 10 and unseen == []


def test_tab_into_the_annotate_dock_shows_it(qtbot, window: MainWindow) -> None:
    slider = window.annotation.tool_dock.opacity
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is slider:
            break
    assert QApplication.focusWidget() is slider
    qtbot.waitUntil(lambda: not _unseen(slider))
    value = slider.value()
    QTest.keyClick(slider, Qt.Key.Key_Left)  # the slider the annotator sees moves
    assert slider.value() < value


def test_a_dock_tabbed_away_gives_the_keys_back_to_the_image(qtbot, window: MainWindow) -> None:
    """The opacity slider had the focus, the Model tab was clicked: the slider, unseen, kept the focus
    and Left moved it (the mask went fainter) instead of going to the previous image."""
    dock, slider = window.annotation.tool_dock, window.annotation.tool_dock.opacity
    slider.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: not _unseen(slider))
    bar = next(b for b in window.findChildren(QTabBar)
               if b.parentWidget() is window and "Annotate" in [b.tabText(i) for i in range(b.count())])
    model = [bar.tabText(i) for i in range(bar.count())].index("Model")
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(model).center())
    qtbot.waitUntil(lambda: _unseen(dock))
    assert QApplication.focusWidget() is window.canvas
    value = slider.value()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert slider.value() == value


def _off_window(window: MainWindow, widget: QWidget) -> bool:
    """Whether `widget` lies outside the window (Qt's place for what it keeps but does not show)."""
    return not window.rect().intersects(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_no_tab_stop_is_off_the_window_in_video_mode(qtbot, window: MainWindow, tmp_path: Path, key: Qt.Key) -> None:
    """With a video open the Worklist dock is hidden, and the tab bar it shared with Layers stayed in
    the focus chain, far off the window, with one tab: Tab stopped on it, and nothing showed the focus."""
    open_clip(qtbot, window, tmp_path)
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    off, stops = [], 0
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), key)
        qtbot.wait(1)  # a dock raised, a stop passed on
        focus = QApplication.focusWidget()
        if focus is window.canvas:
            break
        stops += 1
        if _off_window(window, focus):
            off.append(f"{type(focus).__name__}({focus.accessibleName()!r})")
    assert stops > 10 and off == []
