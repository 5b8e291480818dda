"""Session 32, an annotator's loop with no mouse, every step by its key pressed where the keyboard focus
is: open a folder (Ctrl+Shift+O), next / previous image (Page Down / Page Up), each tool (V B E I T P
Shift+P L Shift+L G W), brush size ([ ]), the mask shown / outlined (M, O), the mask opacity (Tab to its
slider, Left, Esc back to the image), Mark Reviewed (R), Undo / Redo (Ctrl+Z, Ctrl+Y), Save Now (Ctrl+S),
Next Unreviewed (N), the shortcut sheet (F1, Esc). Accept Prediction (Shift+A) with a model loaded:
tests/gui/test_keyboard_sweep_whole_pass.py. The focus is on the image after the opening and after each
step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.annotation.shortcuts import DEFAULT_SHORTCUTS
from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import copy_demo


def _press(sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())


def test_a_loop_without_the_mouse(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(demo))
    controller, session, actions = window.annotation.controller, window.session, window.annotation.actions
    state = controller.state
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))

    _press("Ctrl+Shift+O")
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == session.current_path,
                    timeout=10_000)
    assert len(session) == 4 and QApplication.focusWidget() is window.canvas
    first = session.current_path
    _press("PgDown")
    qtbot.waitUntil(lambda: session.current_path != first and controller.image_path == session.current_path)
    _press("PgUp")
    qtbot.waitUntil(lambda: session.current_path == first and controller.document is not None
                    and controller.image_path == first)
    for tool in Tool:
        _press(DEFAULT_SHORTCUTS[tool.value][0])
        assert state.tool is tool, DEFAULT_SHORTCUTS[tool.value]
    _press("B")
    radius = state.radius
    _press("]")
    assert state.radius > radius
    _press("[")
    assert state.radius == radius
    _press("M")
    assert not actions.toggle_mask.isChecked()
    _press("M")
    _press("O")
    assert state.outline
    _press("O")
    opacity = state.opacity
    slider = window.annotation.tool_dock.opacity
    for _ in range(40):
        _press("Tab")
        if QApplication.focusWidget() is slider:
            break
    assert QApplication.focusWidget() is slider and not slider.visibleRegion().isEmpty()
    _press("Left")
    assert state.opacity < opacity
    _press("Esc")
    assert QApplication.focusWidget() is window.canvas
    doc = controller.document
    _press("R")
    assert doc.status is Status.REVIEWED
    _press("Ctrl+Z")
    assert doc.status is not Status.REVIEWED
    _press("Ctrl+Y")
    assert doc.status is Status.REVIEWED
    _press("Ctrl+S")  # the saves under way are waited for off the GUI thread (f9fb7439): the outcome follows
    qtbot.waitUntil(lambda: told[-1].startswith("Saved:"))
    _press("N")
    qtbot.waitUntil(lambda: session.current_path != first and controller.document is not None
                    and controller.image_path == session.current_path)
    assert controller.document.status is not Status.REVIEWED
    _press("F1")
    sheet = window.shortcut_sheet
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    sheet.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sheet.isVisible())
