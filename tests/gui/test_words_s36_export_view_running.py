"""Ctrl+Shift+E (Export View…) pressed while the model runs on the image shown (Ctrl+R a moment before) said "Export
View needs a result: run the model (Ctrl+R) first": told to start what was running, as the prediction tools' hint
was before session 34. It says the result is coming now, and exports once it came."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.analysis.chrome import EXPORT_VIEW_NEEDS
from tests.gui.annotation_helpers import copy_demo, key
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint

KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_words_s36_the_export_view_key_while_the_image_runs_says_its_result_is_coming(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    checkpoint = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = ready_window(qtbot, lambda: make_window(show=True), checkpoint, [demo],
                               projects_root=tmp_path / "projects")
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.canvas.setFocus()
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (asked.append(str(args[2])), ("", ""))[1])
    QTest.keyClick(window.canvas, Qt.Key.Key_E, KEYS)  # nothing run yet: as before
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == EXPORT_VIEW_NEEDS

    started, release = hold_first_image(ctl, monkeypatch)
    try:
        key(window, "Ctrl+R")
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        window.statusBar().clearMessage()
        QTest.keyClick(window.canvas, Qt.Key.Key_E, KEYS)
        QApplication.processEvents()
        said = window.statusBar().currentMessage()
        assert said == ("Export View needs a result: the model is running on this image (its result comes in a few "
                        "seconds)"), said
    finally:
        release.set()
    qtbot.waitUntil(lambda: ctl.action_export_view.isEnabled(), timeout=WAIT_MS)
    QTest.keyClick(window.canvas, Qt.Key.Key_E, KEYS)  # the result came: the export's dialog, as before
    QApplication.processEvents()
    assert len(asked) == 1 and asked[0].endswith("-view.png"), asked
