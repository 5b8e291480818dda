"""Ctrl+Shift+E (Analysis ▸ Export View…) before the image shown has a result: the action is disabled
(greyed in the menu, as before), and its key did nothing, silently. The key now says what the export
needs in the status bar, as Ctrl+R without a model does; once there is a result it exports as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

EXPECTED = "Export View needs a result: run the model (Ctrl+R) first"
KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_the_export_view_key_says_why_it_waits(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                               monkeypatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], projects_root=tmp_path)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.canvas.setFocus()
    asked: list[str] = []

    def save_name(*args: object) -> tuple[str, str]:
        asked.append(str(args[2]))  # the name offered; the analyst cancels
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    assert ctl.prediction is None
    assert not ctl.action_export_view.isEnabled()  # the action's state is kept: greyed until a result

    QTest.keyClick(window.canvas, Qt.Key.Key_E, KEYS)
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == EXPECTED
    assert asked == []  # no dialog

    assert ctl.run_current() is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.action_export_view.isEnabled()
    window.statusBar().clearMessage()
    QTest.keyClick(window.canvas, Qt.Key.Key_E, KEYS)  # with a result: the dialog, as before (no ambiguity)
    QApplication.processEvents()
    assert len(asked) == 1 and asked[0].endswith("-view.png")
    assert window.statusBar().currentMessage() != EXPECTED
