"""M hides the mask overlay (Annotate ▸ Show Mask), and strokes and commands still edit the mask: nothing on
screen said it was hidden, and an edit made blind said nothing either (s36 review: an M pressed for N, the mask
gone, a stroke painted unseen). napari shows a hidden layer's closed eye in its layer list, CVAT its "hide all"
eye; here the Annotate dock's status line says "mask hidden (M shows it)" while it is, M says so as it hides
it, and the first edit while hidden says it was made with the mask hidden (with the edit's own words)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import blank_demo_window, drag, key

BLIND = "Edited with the mask hidden (M shows it)"


def _said(window) -> str:  # noqa: ANN001
    return window.statusBar().currentMessage()


def test_hidden_mask_is_shown_and_the_first_blind_edit_says_so(qtbot, make_window, demo_dir: Path,
                                                               tmp_path: Path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    annotation = window.annotation
    dock, controller = annotation.tool_dock, annotation.controller
    assert "hidden" not in dock.status_label.text()
    key(window, "M")
    assert not annotation.actions.toggle_mask.isChecked()
    assert "mask hidden (M shows it)" in dock.status_label.text(), dock.status_label.text()
    assert _said(window).startswith("Mask hidden"), _said(window)
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])
    assert controller.document.mask[110, 120] == 1  # edited, unseen
    qtbot.waitUntil(lambda: _said(window) == BLIND)
    told: list[str] = []
    controller.message.connect(lambda text, _ms: told.append(text))
    drag(window, [(200, 200), (240, 220)])  # the second edit: not said again
    qtbot.wait(20)
    assert controller.document.mask[210, 220] == 1
    assert not told
    key(window, "M")
    assert "hidden" not in dock.status_label.text()
    drag(window, [(300, 300), (340, 320)])  # shown: nothing said of it
    qtbot.wait(20)
    assert not any("hidden" in text for text in told), told
    key(window, "M")  # hidden again: its first edit is said again
    drag(window, [(400, 400), (440, 420)])
    qtbot.waitUntil(lambda: _said(window) == BLIND)


def test_a_command_keeps_its_own_words_after_the_note(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    annotation = window.annotation
    annotation.controller.state.set_tool(Tool.BRUSH)
    drag(window, [(100, 100), (140, 120)])
    key(window, "M")
    annotation.actions.dilate.trigger()
    qtbot.waitUntil(lambda: _said(window).startswith(BLIND))
    assert _said(window) == f"{BLIND} · dilate: done"


def test_the_words_name_the_key_in_force(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    actions = window.annotation.actions
    actions.toggle_mask.setShortcut(QKeySequence("Shift+M"))
    actions.toggle_mask.trigger()
    assert "mask hidden (Shift+M shows it)" in window.annotation.tool_dock.status_label.text()
    actions.toggle_mask.setShortcut(QKeySequence())
    actions.toggle_mask.trigger()
    actions.toggle_mask.trigger()
    assert "mask hidden (Annotate ▸ Show Mask shows it)" in window.annotation.tool_dock.status_label.text()
