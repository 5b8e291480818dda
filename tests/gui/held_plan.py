"""Run on all with its plan held on its worker (`app.analysis.run_all_planning`): a window on a copy of
the demo with the tiny model, a gate on the plan's label look-up, and the set-up the tests of what
happens while a plan is under way share. No sleeping: events and waitSignal/waitUntil."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import app.analysis.run_plan as run_plan
from tests.gui.annotation_helpers import copy_demo
from tests.gui.tiny_model import WAIT_MS, ready_window, spy_runs

__all__ = ["Gate", "held_plan", "run_all_window"]


def run_all_window(qtbot, make_window, tiny: Path, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """`ready_window` on a copy of the demo with checkpoint `tiny`, projects under ``tmp_path /
    "projects"``, once the project is open and the first image's run is over: (window, controller)."""
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = ready_window(qtbot, make_window, tiny, [demo], projects_root=tmp_path / "projects")
    qtbot.waitUntil(lambda: window.annotation.controller.project is not None and not ctl._runs, timeout=WAIT_MS)
    return window, ctl


class Gate:
    """Holds the first plan's label look-up on its worker until `release`d (later plans pass)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached, self.release, self.passed = threading.Event(), threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []
        stamps = run_plan.label_stamps

        def held(paths):  # noqa: ANN001, ANN202
            self.threads.append(threading.current_thread())
            if not self.reached.is_set():
                self.reached.set()
                assert self.release.wait(WAIT_MS / 1000)
                self.passed.set()
            return stamps(paths)

        monkeypatch.setattr(run_plan, "label_stamps", held)

    def wait_reached(self, qtbot) -> None:  # noqa: ANN001
        """Wait until the first plan's look-up is held."""
        qtbot.waitUntil(self.reached.is_set, timeout=WAIT_MS)

    def let_go(self, qtbot) -> None:  # noqa: ANN001
        """Release the held plan and take what it queued to the GUI thread (dropped or not)."""
        self.release.set()
        qtbot.waitUntil(self.passed.is_set, timeout=WAIT_MS)
        for _ in range(5):
            QApplication.processEvents()


def held_plan(qtbot, ctl, monkeypatch: pytest.MonkeyPatch) -> tuple[Gate, list, list[object]]:  # noqa: ANN001
    """Ask Run on all of controller `ctl` with nothing cached nor scored (every image to plan) and wait
    until its plan's look-up is held: (the gate, the runs asked of the worker as `spy_runs` records
    them, what ``planning.planned`` told so far)."""
    ctl.cache.clear()
    ctl.scores.book.clear()
    gate, asked = Gate(monkeypatch), spy_runs(ctl, monkeypatch)
    told: list[object] = []
    ctl.planning.planned.connect(told.append)
    assert ctl.run_all()
    gate.wait_reached(qtbot)
    return gate, asked, told
