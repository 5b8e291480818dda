"""The Annotate dock showed two tools pressed at once (and the Annotate menu two ticks): after B then
Esc (back to Navigate), Brush and Navigate / Pan were both checked, and stayed so through the next
clicks. A tool chosen other than by its action (Esc, a tool restored, a script) was checked with the
action's signals blocked, so its exclusive QActionGroup never heard of it and did not uncheck the
tool before. One tool is checked, the current one, however it was chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QToolButton

from fosp_core.annotation.tool_state import Tool


def _checked(window) -> list[Tool]:  # noqa: ANN001 - MainWindow
    return [tool for tool, action in window.annotation.actions.tools.items() if action.isChecked()]


def _pressed_buttons(window) -> list[str]:  # noqa: ANN001 - MainWindow
    return [b.defaultAction().text() for b in window.annotation.tool_dock.findChildren(QToolButton)
            if b.defaultAction() is not None and b.isChecked() and b.defaultAction() in
            window.annotation.actions.tools.values()]


def test_esc_after_brush_leaves_only_navigate_checked(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path
    window.annotation.actions.tools[Tool.BRUSH].trigger()  # B
    assert _checked(window) == [Tool.BRUSH]
    window.annotation.controller.cancel()  # Esc with no gesture: back to Navigate
    assert window.annotation.controller.state.tool is Tool.NAVIGATE
    assert _checked(window) == [Tool.NAVIGATE]
    assert _pressed_buttons(window) == ["Navigate / Pan"]


def test_a_tool_set_on_the_state_then_a_click_leaves_one_checked(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path
    window.annotation.controller.state.set_tool(Tool.WAND)
    window.annotation.actions.tools[Tool.ERASER].trigger()  # a click on Eraser
    assert _checked(window) == [Tool.ERASER]
    assert len(_pressed_buttons(window)) == 1
