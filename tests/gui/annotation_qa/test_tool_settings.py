"""Tool settings on the real window: the shortcut dialog, brush settings kept between sessions, the
Annotate dock's radius box and tool buttons handing the keyboard and pointer back to the canvas."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.annotation_helpers import drag, key, viewport_pos
from tests.gui.annotation_qa.helpers import LEFT, NONE


def test_the_shortcut_dialog_refuses_a_key_another_action_has(window) -> None:
    """Giving the brush E (the eraser's) or F (Fit to Window) made the key ambiguous: Qt then runs
    neither action, so both keys went dead without a word."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QDialog

    from app.annotation.shortcuts import ShortcutDialog
    from fosp_core.annotation.tool_state import Tool

    ui = window.annotation
    for taken, owner in (("E", "Eraser"), ("F", "Fit to Window")):
        dialog = ShortcutDialog(ui.shortcuts, window)
        dialog.editors["brush"].setKeySequence(QKeySequence(taken))
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert not dialog.problem.isHidden() and owner in dialog.problem.text() and taken in dialog.problem.text()
        assert ui.shortcuts.keys("brush") == ["B"]  # nothing stored
    dialog = ShortcutDialog(ui.shortcuts, window)
    dialog.editors["brush"].setKeySequence(QKeySequence("J"))  # a free key is taken as before
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and ui.shortcuts.keys("brush") == ["J"]
    key(window, "J")
    assert ui.controller.state.tool == Tool.BRUSH
    dialog = ShortcutDialog(ui.shortcuts, window)  # swapping two keys in one go is fine
    dialog.editors["brush"].setKeySequence(QKeySequence("E"))
    dialog.editors["eraser"].setKeySequence(QKeySequence("J"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    key(window, "E")
    assert ui.controller.state.tool == Tool.BRUSH


def test_brush_size_opacity_tolerance_and_outline_are_kept_for_the_next_session(qtbot, make_window) -> None:
    """They reverted to 12 px / 50 % / 0.15 / filled at every start: an annotator who works at 40 px
    and 80 % set them again each morning."""
    first = make_window()
    state = first.annotation.controller.state
    state.set_radius(40)
    state.set_opacity(0.8)
    state.set_tolerance(0.3)
    state.set_outline(True)
    first.close()
    second = make_window()
    state = second.annotation.controller.state
    assert (state.radius, state.opacity, state.tolerance, state.outline) == (40, pytest.approx(0.8),
                                                                            pytest.approx(0.3), True)
    dock = second.annotation.tool_dock
    assert dock.radius.value() == 40 and dock.outline.isChecked() and second.annotation.actions.outline.isChecked()
    assert second.annotation.controller.layer.outline


def test_typing_a_brush_radius_then_enter_gives_the_keys_back_to_the_canvas(qtbot, window) -> None:
    """Typing 30 in the Annotate dock's radius box and pressing Enter left the keyboard focus in the
    box: Ctrl+Z then undid the box's text instead of the last stroke, E and ] did nothing, until
    the annotator clicked the image."""
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller, dock = window.annotation.controller, window.annotation.tool_dock
    dock.raise_()
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    box = dock.radius.lineEdit()
    QTest.mouseClick(box, LEFT, NONE)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.radius)
    dock.radius.selectAll()
    QTest.keyClicks(box, "30")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert controller.state.radius == 30
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.document.history.labels() == []  # the stroke is undone
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_E)
    assert controller.state.tool == Tool.ERASER
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_BracketRight)
    assert controller.state.radius > 30


def test_escape_in_the_brush_radius_box_drops_the_typing_and_keeps_the_tool(qtbot, window) -> None:
    """Esc while typing a radius ran the window's Cancel / Navigate: the brush became the pan tool
    and the keyboard focus stayed in the box. Esc there now drops what was typed, keeps the tool
    and hands the keys back to the canvas."""
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller, dock = window.annotation.controller, window.annotation.tool_dock
    dock.raise_()
    key(window, "B")
    box = dock.radius.lineEdit()
    QTest.mouseClick(box, LEFT, NONE)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.radius)
    dock.radius.selectAll()
    QTest.keyClicks(box, "4")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert controller.state.tool == Tool.BRUSH and controller.state.radius == 12
    assert dock.radius.value() == 12 and dock.radius.text() == "12 px"
    assert QApplication.focusWidget() is window.canvas


def test_choosing_a_brush_from_the_dock_shows_no_outline_where_the_pointer_left_the_image(qtbot, window) -> None:
    """The pointer leaves the image for the Annotate dock and clicks Brush: the brush outline
    appeared on the image where the pointer had last been, though the pointer was over the dock."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from fosp_core.annotation.tool_state import Tool

    controller = window.annotation.controller
    viewport = window.canvas.viewport()
    key(window, "E")
    QTest.mouseMove(viewport, viewport_pos(window, 200, 200))
    assert controller.cursor.isVisible()
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert not controller.cursor.isVisible()
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    assert not controller.cursor.isVisible()
    QTest.mouseMove(viewport, viewport_pos(window, 250, 250))  # back over the image: there it is
    assert controller.cursor.isVisible()
