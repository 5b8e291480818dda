"""Review as a user (R2): Annotate ▸ Pre-label All… counts the images with no mask yet on a thread of
its own and asks when the count arrives (70db238) - seconds on a network drive or a big project - and
meanwhile nothing said that anything was happening: the lead clicked, saw nothing, clicked again. The
status bar says it counts while it does, and the line goes when the question is asked. The count held
by a gate, no sleeping."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question
from fosp_core.annotation import prelabel as core_prelabel
from tests.gui.annotation_helpers import copy_demo
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


def test_pre_label_all_says_it_counts_until_it_asks(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    window, _ctl = ready_window(qtbot, make_window, checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                                projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    reached, release = threading.Event(), threading.Event()
    counts = core_prelabel.prelabel_counts

    def held(project, *stamp):  # noqa: ANN001, ANN002, ANN202
        reached.set()
        release.wait(WAIT_MS / 1000)
        return counts(project, *stamp)

    asked: list[str] = []

    def answer(box):  # noqa: ANN001, ANN202
        asked.append(window.statusBar().currentMessage())  # what the status bar says as the question shows
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(core_prelabel, "prelabel_counts", held)
    monkeypatch.setattr(prelabel_question, "answer", answer)
    try:
        window.annotation.actions.prelabel_all.trigger()
        qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
        said = window.statusBar().currentMessage()
        assert said.startswith("Pre-label All: counting the images with no mask yet"), said
    finally:
        release.set()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "counting" not in asked[0], asked
    assert window.prelabel.job is None
