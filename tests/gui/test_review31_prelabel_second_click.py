"""Pre-label All's count runs on a thread (seconds on a network drive); a second click meanwhile waits for
that count. A count whose answer came for another folder, model or setting than the window's (the threshold
moved, another checkpoint loaded) was dropped without a word: the first click did nothing, and a click made
for the new settings while it counted was lost too (nothing counted, nothing asked). Now the last click's
own count runs then, and a click outdated with no new one says why nothing started."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question, prelabel_runs
from tests.gui.annotation_helpers import copy_demo
from tests.gui.test_prelabel_count_relay import _HeldThread
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    window, _ctl = ready_window(qtbot, make_window, checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                                projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    monkeypatch.setattr(prelabel_runs, "threading", SimpleNamespace(Thread=_HeldThread))
    _HeldThread.made.clear()
    return window


def _threshold(window, value: float) -> None:  # noqa: ANN001
    window.analysis.settings.set_threshold(value)


def test_a_click_made_while_an_outdated_count_ran_is_counted(qtbot, window,  # noqa: ANN001
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(prelabel_question, "answer", lambda _box: asked.append(True) or QMessageBox.StandardButton.No)
    assert window.prelabel.prelabel_all(ask=True)
    _threshold(window, 0.7)  # while it counts
    assert window.prelabel.prelabel_all(ask=True)  # for the new threshold: waits for the count under way
    first = _HeldThread.made[0]
    first.target(*first.args)
    qtbot.waitUntil(lambda: len(_HeldThread.made) == 2, timeout=WAIT_MS)  # the second click's own count
    second = _HeldThread.made[1]
    second.target(*second.args)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)  # its question came


def test_an_outdated_click_says_why_nothing_started(qtbot, window) -> None:  # noqa: ANN001
    assert window.prelabel.prelabel_all(ask=True)
    _threshold(window, 0.7)
    first = _HeldThread.made[0]
    first.target(*first.args)
    qtbot.waitUntil(lambda: "Pre-label All was not started" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert len(_HeldThread.made) == 1
