"""Windows: the app's Stop could not stop a fine-tune cleanly, and a run whose app crashed trained on alone.
There is no signal a parent can send its child there (``os.kill(pid, SIGINT)`` is TerminateProcess), so
`TrainingProcess.stop` called ``QProcess.terminate()`` - a WM_CLOSE a console program never gets - and killed
the run 20 s later with nothing saved since its last checkpoint ('the run did not stop in time; killing it');
and the parent watch (`PARENT_ENV`) was POSIX only (Windows does not re-parent an orphan). Now a run the app
started watches its stdin, the app's pipe: a ``stop`` line (the app's Stop writes one) or the pipe's end (the
app gone) interrupts it as SIGINT does, so it saves its state and exits. Windows is simulated: ``os.name`` as
`fosp_core.train.signals` and `app.training.process` see it, stdin a real pipe."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from fosp_core.train import signals


class _Windows:
    name = "nt"

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


@pytest.fixture
def pipe(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """stdin as the app's pipe on Windows; yields the app's end (write) of it."""
    read, write = os.pipe()
    monkeypatch.setattr(signals, "os", _Windows())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.FileIO(read, "r")))
    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    yield write
    for fd in (write,):
        try:
            os.close(fd)
        except OSError:
            pass
    _join_watchers()


def _join_watchers() -> None:
    for thread in threading.enumerate():
        if thread.name == "fosp-stdin-watch":
            thread.join(10)


def _interrupted_within_block(then: object) -> bool:
    """Whether the block under `stop_signals` is interrupted after `then()` (waits for it up to 10 s)."""
    try:
        with signals.stop_signals():
            then()  # type: ignore[operator]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                time.sleep(0.01)
    except KeyboardInterrupt:
        return True
    return False


def test_a_stop_line_interrupts_the_run(pipe: int) -> None:
    assert _interrupted_within_block(lambda: os.write(pipe, b"progress\nstop\n"))


def test_the_app_gone_interrupts_the_run(pipe: int) -> None:
    assert _interrupted_within_block(lambda: os.close(pipe))  # the app's end closed: it crashed or was killed


def test_a_stop_after_the_block_interrupts_nothing(pipe: int) -> None:
    with signals.stop_signals():
        pass
    os.write(pipe, b"stop\n")
    _join_watchers()  # it read the line, and did not interrupt: the block was over
    time.sleep(0)  # a pending interrupt would raise here


def test_the_app_stops_a_windows_run_by_its_pipe(monkeypatch: pytest.MonkeyPatch, qapp: object) -> None:
    from PySide6.QtCore import QProcess

    from app.training import process as training_process

    class _Process:
        written: list[bytes] = []
        closed = terminated = False

        def state(self) -> QProcess.ProcessState:
            return QProcess.ProcessState.Running

        def processId(self) -> int:  # noqa: N802 - Qt's name
            return 4242

        def write(self, data: bytes) -> int:
            self.written.append(bytes(data))
            return len(data)

        def closeWriteChannel(self) -> None:  # noqa: N802
            self.closed = True

        def terminate(self) -> None:
            self.terminated = True

    killed: list[int] = []
    monkeypatch.setattr(training_process, "os", _Windows())
    monkeypatch.setattr(training_process.os, "kill", lambda pid, sig: killed.append(pid), raising=False)
    run = training_process.TrainingProcess()
    fake = _Process()
    run.process = fake  # type: ignore[assignment]
    run.stop()
    assert fake.written == [signals.STOP_LINE + b"\n"] and fake.closed
    assert not fake.terminated and killed == []  # neither WM_CLOSE nor TerminateProcess
    run.process = None
