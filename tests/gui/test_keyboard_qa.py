"""Keyboard-only QA: mnemonics, tooltips that name the real keys, dialogs a keyboard can leave, and
no key bound twice in one mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from app.annotation.shortcuts import ShortcutDialog
from app.main_window import MainWindow
from app.shortcut_modes import off_in_mode
from app.shortcut_sheet import KEYS_WITHOUT_ACTION, shortcut_rows
from fosp_core.annotation.tool_state import Tool
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import copy_demo, open_and_wait

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def _mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    i = plain.find("&")
    return plain[i + 1].lower() if 0 <= i < len(plain) - 1 else None


def _collisions(menu: QMenu, where: str) -> list[str]:
    out, owners = [], {}
    for action in menu.actions():
        letter = _mnemonic(action.text())
        if letter is not None:
            owners.setdefault(letter, []).append(action.text())
        if action.menu() is not None:
            out += _collisions(action.menu(), f"{where} > {action.text()}")
    return out + [f"{where}: {k} {v}" for k, v in owners.items() if len(v) > 1]


def _enabled_duplicates(window: MainWindow) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        if action.isEnabled():
            for key in action.shortcuts():
                owners.setdefault(key.toString(), []).append(action.text())
    return {k: v for k, v in owners.items() if len(v) > 1}


def test_no_two_entries_of_one_menu_share_a_mnemonic(make_window) -> None:
    # a shared letter only moves between its entries instead of running one (Annotate had &Redo and
    # Mark &Reviewed, &Copy Previous Image's Mask and &Clean Up; Analysis &Cancel Inference and
    # &Compare Two Checkpoints)
    window = make_window()
    problems = [p for top in window.menuBar().actions() for p in _collisions(top.menu(), top.text())]
    tops = [_mnemonic(a.text()) for a in window.menuBar().actions()]
    assert len(tops) == len(set(tops)) and None not in tops
    assert problems == []


def test_escape_in_the_shortcut_dialog_closes_it_and_binds_nothing(qtbot, make_window) -> None:
    # Esc in a key editor was recorded as the action's new key (Accept Prediction became Esc) and
    # the dialog stayed open: no key closed it
    window = make_window(show=True)
    shortcuts = window.annotation.shortcuts
    dialog = ShortcutDialog(shortcuts, window)
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.editors["accept_prediction"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert editor.keySequence().toString() == "Shift+A"
    assert shortcuts.keys("accept_prediction") == ["Shift+A"]


def test_tab_leaves_the_shortcut_table_for_the_dialog_buttons(qtbot, make_window) -> None:
    # Tab went table -> key editor -> table -> ... for ever: OK and Cancel were out of reach
    window = make_window(show=True)
    dialog = ShortcutDialog(window.annotation.shortcuts, window)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # focus moves by Tab only in the active window
        dialog.show()
        dialog.activateWindow()
    dialog.table.setFocus()
    seen = []
    for _ in range(len(dialog.editors) + 5):
        widget = QApplication.focusWidget() or dialog
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert any(getattr(w, "text", lambda: "")().replace("&", "") == "OK" for w in seen)


def test_model_panel_run_buttons_name_their_shortcuts(make_window) -> None:
    window = make_window()
    panel = window.analysis.panel
    assert "Ctrl+R" in panel.run_button.toolTip()
    assert "Ctrl+Shift+R" in panel.run_all_button.toolTip()


def test_tool_buttons_name_the_key_in_force_after_a_remap(make_window) -> None:
    window = make_window()
    actions = window.annotation.actions
    buttons = [b for b in window.findChildren(QToolButton) if b.defaultAction() is not None]
    for button in buttons:
        keys = button.defaultAction().shortcuts()
        if keys:
            assert keys[0].toString(QKeySequence.SequenceFormat.NativeText) in button.toolTip(), button.toolTip()
        assert "&" not in button.toolTip().replace("&&", ""), button.toolTip()
    window.annotation.shortcuts.set_keys("brush", ["Q"])
    brush = next(b for b in buttons if b.defaultAction() is actions.tools[Tool.BRUSH])
    assert "(Q)" in brush.toolTip() and "(B)" not in brush.toolTip()


def test_the_shortcut_sheet_lists_exactly_the_window_shortcuts(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, copy_demo(DEMO, tmp_path / "demo"))
    off = off_in_mode(window)  # the video's frame actions, with images shown
    assert off
    truth = {(a.text().replace("&", "").replace("…", "").strip(), k.toString(QKeySequence.SequenceFormat.NativeText))
             for a in window.findChildren(QAction) for k in a.shortcuts() if not k.isEmpty()
             and not any(a is o for o in off)}
    for _where, text, key in KEYS_WITHOUT_ACTION:  # Esc cancelling an open: said in the row of Esc
        native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        truth = {(f"{t} (or {text}, while opening)" if k == native else t, k) for t, k in truth}
    listed = {(text, k) for _where, text, keys in shortcut_rows(window) for k in keys.split(", ")}
    assert listed == truth


def test_no_key_runs_two_actions_in_image_or_video_mode(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    open_and_wait(qtbot, window, copy_demo(DEMO, tmp_path / "demo"))
    assert _enabled_duplicates(window) == {}
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=6)], remember=False)
    assert window.video.active
    assert _enabled_duplicates(window) == {}
