"""Session 32, the focus after an opening: Ctrl+Shift+O pressed while the Images dock's name filter had
the focus opened the folder and left the focus in the filter, so the next keys (B, N, R) were typed into
it - filtering the new images by "b" - instead of working on the image shown. Once an opening adds images,
a dock's control that has the focus gives it to the image; the canvas keeps it if it has it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import copy_demo


def _press(sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())


@pytest.mark.parametrize("where", ["filter", "worklist"])
def test_an_opening_gives_the_keys_to_the_image(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                monkeypatch, where: str) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(demo))
    start = window.images_panel.filter_edit if where == "filter" else window.annotation.worklist.list
    window.annotation.worklist_dock.raise_()
    start.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(start.hasFocus)
    controller = window.annotation.controller
    _press("Ctrl+Shift+O")
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    _press("B")
    assert controller.state.tool is Tool.BRUSH
    assert window.images_panel.filter_edit.text() == ""
