"""While Annotate ▸ Pre-label All runs (the tools stand aside, the masks shown read-only: an import's hold,
`app.annotation.import_view.HELD_KEY`), the annotation keys say why they do nothing, in the words a stroke
says ("No mask to edit for this image while Pre-label All writes masks ...": what runs, not an import's words,
`PRELABEL_HELD_KEY`). Found by a keyboard-only sweep on 20
real photos: Mark Reviewed (R) said "A video frame has no review status" and Copy Previous Image's Mask
(Shift+C) "On a video frame, Carry Mask ..." with no video open, Undo (Ctrl+Z) "no image is open" with the
image and its mask on screen, and Accept Prediction (Shift+A), Threshold to Mask (Shift+T) and the Clean Up
keys (Shift+H/K/D/E/S) nothing at all. Real key presses on the canvas of the shown window, the pre-label
held on its worker thread until the keys are pressed; no key bound twice meanwhile or after."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import fosp_core.annotation.prelabel as prelabel_module
from app.annotation.import_view import PRELABEL_HELD_KEY
from app.main_window import MainWindow
from tests.gui.annotation_helpers import copy_demo
from tests.gui.key_clashes import key_clashes
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

_SHIFT, _CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier

_KEYS = {  # name: (key, modifiers)
    "Mark Reviewed": (Qt.Key.Key_R, Qt.KeyboardModifier.NoModifier),
    "Copy Previous Image's Mask": (Qt.Key.Key_C, _SHIFT),
    "Undo": (Qt.Key.Key_Z, _CTRL),
    "Redo": (Qt.Key.Key_Z, _CTRL | _SHIFT),
    "Accept Prediction": (Qt.Key.Key_A, _SHIFT),
    "Threshold to Mask": (Qt.Key.Key_T, _SHIFT),
    "Fill Holes": (Qt.Key.Key_H, _SHIFT),
    "Remove Specks": (Qt.Key.Key_K, _SHIFT),
    "Dilate": (Qt.Key.Key_D, _SHIFT),
    "Erode": (Qt.Key.Key_E, _SHIFT),
    "Smooth": (Qt.Key.Key_S, _SHIFT),
    "Clear Mask": (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
}


def _said(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> str:
    window.statusBar().clearMessage()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, key, modifiers)
    return window.statusBar().currentMessage()


def test_the_keys_say_the_masks_are_held_while_pre_label_all_runs(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = ready_window(qtbot, make_window, save_tiny_checkpoint(tmp_path / "tiny.safetensors"), [demo],
                                projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    window.session.set_current(1)  # a previous image: Shift+C's only other reason to be off is gone
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=WAIT_MS)
    started, release = threading.Event(), threading.Event()
    write = prelabel_module.write_masks

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.set()
        release.wait(30)
        return write(*args, **kwargs)

    monkeypatch.setattr(prelabel_module, "write_masks", held)
    try:
        assert window.prelabel.prelabel_all(ask=False)
        qtbot.waitUntil(lambda: started.is_set() and controller.attached_key == PRELABEL_HELD_KEY,
                        timeout=WAIT_MS)
        window.activateWindow()  # back from the progress dialog (non-modal), as a user's Alt+Tab
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        said = {name: _said(window, key, modifiers) for name, (key, modifiers) in _KEYS.items()}
        clashes = key_clashes(window)
    finally:
        release.set()
    report = window.prelabel.wait()
    assert report is not None
    assert clashes == []
    # what runs is named: Pre-label All, not an import (the words were an import's, shared)
    wrong = {name: text for name, text in said.items()
             if "while Pre-label All writes masks" not in text or "import" in text or "video" in text}
    assert wrong == {}
    assert controller.document is not None and controller.attached_key is None  # the tools are back
    assert key_clashes(window) == []
