"""`app.annotation.take_over_wait.TakeOverWait` on its own: several reopenings waited for at once (an open taking
over two projects on a share that does not answer) each hand their outcome over, the wait shown until the last;
Stop Waiting hands none over (each told None) and a reopening ending after it is let go on its thread. The
reopenings here are stand-ins held by events (no disk); no wall-clock assert."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.annotation.take_over_wait import Reopened, TakeOverWait
from fosp_core.annotation.project import ProjectError

WAIT_MS = 10_000


def _held(gate: threading.Event, outcome: Reopened) -> object:
    def work() -> Reopened:
        gate.wait(10)
        return outcome

    return work


def test_stall_s37_two_reopenings_waited_for_at_once_each_hand_their_outcome_over(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    wait = TakeOverWait(lambda: parent)
    gates = [threading.Event(), threading.Event()]
    outcomes = [ProjectError(Path("/a"), "first"), ProjectError(Path("/b"), "second")]
    got: list[Reopened | None] = []
    for gate, outcome, folder in zip(gates, outcomes, ("/a", "/b"), strict=True):
        assert wait.start(Path(folder), _held(gate, outcome), got.append) is None  # goes on past the wait
    assert wait.dialog is not None and "2 annotation projects" in wait.dialog.labelText()
    gates[1].set()
    qtbot.waitUntil(lambda: got == [outcomes[1]], timeout=WAIT_MS)
    assert wait.dialog is not None  # the first still waited for
    gates[0].set()
    qtbot.waitUntil(lambda: got == [outcomes[1], outcomes[0]], timeout=WAIT_MS)
    assert wait.dialog is None
    qtbot.waitUntil(lambda: not wait.running, timeout=WAIT_MS)


def test_stall_s37_stop_waiting_tells_each_none_and_hands_nothing_over_after(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    wait = TakeOverWait(lambda: parent)
    gate = threading.Event()
    got: list[Reopened | None] = []
    wait.start(Path("/a"), _held(gate, ProjectError(Path("/a"), "late")), got.append)
    wait.start(Path("/b"), _held(gate, ProjectError(Path("/b"), "late")), got.append)
    dialog = wait.dialog
    assert dialog is not None
    dialog.canceled.emit()  # Stop Waiting (its button, Esc)
    assert got == [None, None] and wait.dialog is None
    gate.set()
    qtbot.waitUntil(lambda: not wait.running, timeout=WAIT_MS)
    qtbot.wait(50)
    assert got == [None, None]


def test_stall_s37_a_reopening_that_answers_at_once_is_handed_back_without_the_wait(qtbot) -> None:  # noqa: ANN001
    wait = TakeOverWait(lambda: None)
    done = ProjectError(Path("/a"), "at once")
    got: list[Reopened | None] = []
    assert wait.start(Path("/a"), lambda: done, got.append) is done
    assert wait.dialog is None
    qtbot.waitUntil(lambda: not wait.running, timeout=WAIT_MS)
    qtbot.wait(50)
    assert got == []
