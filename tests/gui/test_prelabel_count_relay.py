"""Pre-label All's count runs on a thread of its own (`PrelabelRuns.prelabel_all`); that thread emitted its
answer on the PrelabelRuns itself, a child of the window: a window closed while the count runs (seconds on a
network drive) deletes that object while the thread may be emitting on it, a crash rather than an exception
(`app.relay`'s rule: a worker thread emits on a parentless relay it holds, never on its owner). The thread is
now handed only the relay, and the answer still reaches the question."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.annotation import prelabel_question, prelabel_runs
from tests.gui.annotation_helpers import copy_demo
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


class _HeldThread:
    """Stands in for threading.Thread: keeps what it is handed, runs it when the test says."""

    made: list[_HeldThread] = []

    def __init__(self, target, args=(), **_kwargs) -> None:  # noqa: ANN001
        self.target, self.args = target, tuple(args)
        _HeldThread.made.append(self)

    def start(self) -> None:
        pass


def test_the_count_thread_holds_no_object_of_the_window(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    window, _ctl = ready_window(qtbot, make_window, checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                                projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    asked: list[bool] = []
    monkeypatch.setattr(prelabel_question, "answer", lambda _box: asked.append(True) or QMessageBox.StandardButton.No)
    # its own name only (the threading module's Thread is every thread's: a worker pool started meanwhile
    # would get a _HeldThread too, and join it at exit)
    monkeypatch.setattr(prelabel_runs, "threading", SimpleNamespace(Thread=_HeldThread))
    _HeldThread.made.clear()

    assert window.prelabel.prelabel_all(ask=True)
    (thread,) = _HeldThread.made
    handed = [getattr(thread.target, "__self__", None), *thread.args]
    qobjects = [o for o in handed if isinstance(o, QObject)]
    assert window.prelabel not in handed  # it was the thread's `self`: emitted on from the thread
    assert qobjects and all(o.parent() is None for o in qobjects)  # only a parentless relay

    thread.target(*thread.args)  # the count, here; its answer queued to the GUI thread
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)  # the question came, as before
    assert window.prelabel.job is None
