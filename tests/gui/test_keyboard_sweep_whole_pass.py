"""A whole labelling pass from the keyboard, as an annotator who never takes the mouse: the demo images
open, Run on All Images (Ctrl+Shift+R), then for each image Accept Prediction (Shift+A), a look (M hides
and shows the mask, O its outline, F / + / 1 / Ctrl+Shift+arrows zoom and pan), Mark Reviewed (R), Undo /
Redo of the status (Ctrl+Z, Ctrl+Shift+Z), Next Unreviewed (N); each key pressed on the widget that has
the focus, which stays the canvas all along. Every image ends reviewed, with the model's mask, on disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import copy_demo, settle_saves
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


def test_a_whole_pass_by_keyboard(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = ready_window(qtbot, make_window, save_tiny_checkpoint(tmp_path / "tiny.safetensors"), [demo],
                                projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.canvas.setFocus()
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    lost: list[str] = []

    def press(sequence: str) -> None:
        focus = QApplication.focusWidget()
        if focus is not window.canvas:
            lost.append(f"before {sequence}: {type(focus).__name__}")
        combo = QKeySequence(sequence)[0]
        QTest.keyClick(focus or window, combo.key(), combo.keyboardModifiers())

    project = controller.project
    assert project is not None
    count = len(project.entries)
    assert count == len(window.session) == 4
    press("Ctrl+Shift+R")
    for _ in range(count):
        qtbot.waitUntil(lambda: controller.document is not None and controller.document.probability is not None,
                        timeout=WAIT_MS)
        doc = controller.document
        press("Shift+A")
        qtbot.waitUntil(lambda doc=doc: not controller.accepting.pending and doc.history.undo_count >= 1, timeout=WAIT_MS)
        for sequence in ("M", "M", "O", "O", "F", "+", "+", "Ctrl+Shift+Right", "Ctrl+Shift+Down", "1", "F"):
            press(sequence)
        press("R")
        assert doc.status is Status.REVIEWED
        press("Ctrl+Z")
        assert doc.status is not Status.REVIEWED
        press("Ctrl+Shift+Z")
        assert doc.status is Status.REVIEWED
        press("N")
    settle_saves(window)
    assert lost == []
    assert [entry.status for entry in project.entries] == [Status.REVIEWED] * count
    assert window.annotation.actions.toggle_mask.isChecked() and not window.annotation.actions.outline.isChecked()
