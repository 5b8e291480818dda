"""The Annotate dock by keyboard: Tab from the canvas reaches its settings that have no key of their own
(brush radius box, wand tolerance, threshold, mask opacity, Outline only), the arrows change them, Esc
gives the keys back to the canvas; a click on a slider still leaves them to the canvas. A keyboard-only
sweep found the dock's one Tab stop to be its scroll area, where the keys did nothing: the sliders and the
check box took no focus at all, so the wand's tolerance and the mask's opacity had no keyboard way in. No
Tab stop is a panel's scroll area (app.panels.scrolling) any more, and on a short window the control
Tab reaches in a panel is scrolled wholly into view (a spin box too, not only its text cursor), the first one
too (coming from outside the panel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.main_window import MainWindow

from .conftest import WindowFactory
from .keyboard_day_helpers import day_window, open_clip


@pytest.fixture
def window(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _tab_stops(window: MainWindow) -> list[QWidget]:
    window.canvas.setFocus()
    stops = []
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is window.canvas:
            return stops
        stops.append(QApplication.focusWidget())
    raise AssertionError("Tab never came back to the canvas")


def _tab_to(window: MainWindow, target: QWidget) -> None:
    window.canvas.setFocus()
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is target:
            return
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")


def test_tab_reaches_every_setting_of_the_annotate_dock(window: MainWindow) -> None:
    dock = window.annotation.tool_dock
    stops = _tab_stops(window)
    for widget in (dock.radius, dock.tolerance, dock.threshold, dock.opacity, dock.outline):
        assert any(widget is s for s in stops), widget.accessibleName() or widget.text()


def test_no_tab_stop_is_a_panel_s_scroll_area(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    assert [s.accessibleName() for s in _tab_stops(window) if isinstance(s, QScrollArea)] == []
    open_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert [s.accessibleName() for s in _tab_stops(window) if isinstance(s, QScrollArea)] == []


def test_the_arrows_set_the_opacity_and_esc_gives_the_keys_back(window: MainWindow) -> None:
    dock, state = window.annotation.tool_dock, window.annotation.controller.state
    _tab_to(window, dock.opacity)
    before = state.opacity
    QTest.keyClick(dock.opacity, Qt.Key.Key_Left)
    assert state.opacity == pytest.approx(before - 0.01)
    QTest.keyClick(dock.opacity, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.canvas
    QTest.keyClick(window.canvas, Qt.Key.Key_B)  # the tool keys work again
    assert window.annotation.actions.tools[window.annotation.controller.state.tool].text() == "Brush"


def test_space_on_outline_only_toggles_it(window: MainWindow) -> None:
    dock, state = window.annotation.tool_dock, window.annotation.controller.state
    _tab_to(window, dock.outline)
    before = state.outline
    QTest.keyClick(dock.outline, Qt.Key.Key_Space)
    assert state.outline is (not before)


def test_a_click_on_a_slider_leaves_the_keys_to_the_canvas(window: MainWindow) -> None:
    dock = window.annotation.tool_dock
    window.canvas.setFocus()
    QTest.mouseClick(dock.tolerance, Qt.MouseButton.LeftButton, pos=dock.tolerance.rect().center())
    assert QApplication.focusWidget() is window.canvas


def _area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def _tab_round(window: MainWindow, key: Qt.Key) -> tuple[int, list[str]]:
    """Tab (or Shift+Tab) from the canvas round to it: the stops inside a panel's scroll area, and the names
    of those not wholly in view once reached (a table taller than the panel: not in view at all)."""
    window.canvas.setFocus()
    out, inside = [], 0
    for _ in range(80):
        QTest.keyClick(QApplication.focusWidget(), key)
        widget = QApplication.focusWidget()
        if widget is window.canvas:
            break
        area = _area_of(widget)
        if area is None:
            continue
        inside += 1
        viewport = area.viewport()
        shown = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
        if not (viewport.rect().contains(shown) if shown.height() <= viewport.height()
                else viewport.rect().intersects(shown)):  # a table taller than the panel: some of it
            out.append(widget.accessibleName() or type(widget).__name__)
    return inside, out


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab], ids=["Tab", "Shift+Tab"])
def test_on_a_short_window_tab_scrolls_the_control_it_reaches_into_view(qtbot, window: MainWindow,  # noqa: ANN001
                                                                       key: Qt.Key) -> None:
    # The window's minimum height settles a moment after it opens (the Model panel's scroll bar comes in
    # late): resized to 330 before that, the window stayed 8 px taller than after, and which of the two
    # the test swept was a matter of timing. It now waits for the minimum and sweeps every 4 px from it:
    # a few px taller than the minimum, Tab left the τ box's bottom 3 px under the Model dock's edge (its
    # text cursor in view), some 40 px taller the Metrics table's bottom rows (app.panels.show_wholly).
    qtbot.waitUntil(lambda: window.minimumSize() == window.minimumSizeHint())
    short = window.minimumSizeHint().height()  # the Annotate and Model panels scroll
    for height in range(short, short + 41, 4):
        window.resize(900, height)
        qtbot.waitUntil(lambda h=height: window.statusBar().geometry().bottom() == h - 1)  # laid out,
        qtbot.wait(20)  # and the docks' own layouts after it
        inside, out = _tab_round(window, key)
        assert inside >= 8 and out == [], height
