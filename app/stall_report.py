"""A development tool: report the GUI thread's long event-loop turns, where it was, and who had the CPUs.

Off by default. ``FOSP_STALL_REPORT=1`` (a turn over 50 ms) or ``FOSP_STALL_REPORT=<ms>`` makes
:func:`install_stall_reporter` (called by ``app.main.create_app``) start one; a bench or a test can
start a :class:`StallReporter` itself.

How. A QTimer on the GUI thread stamps a heartbeat every `beat_ms`; a watchdog thread (plain Python)
polls it. Once the heartbeat is `threshold_ms` late, the GUI thread is inside one long turn (or cannot
get the GIL or a CPU): the watchdog takes the stacks of every Python thread then
(``sys._current_frames()``) and the scheduler's counters of every thread of the process (Linux
``/proc/self/task/*/schedstat``: time on a CPU, time runnable but waiting for one). When the heartbeat
comes back it logs (logger ``fosp.stall``, WARNING) a :class:`StallReport`: how long the turn was,
each thread's CPU time and run-queue wait over the stall, the GUI thread's stack, the others'.

Reading a report: the GUI thread on a CPU for most of the stall is its own work (the stack says
which); runnable but waiting is the OS scheduler (more runnable threads than cores: torch's
intra-op threads, decoders, other processes); neither is a wait on a lock, usually the GIL, held
by a thread whose Python stack is then not in a call that releases it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer

__all__ = ["ENV", "StallReport", "StallReporter", "install_stall_reporter", "thread_times"]

ENV = "FOSP_STALL_REPORT"
DEFAULT_THRESHOLD_MS = 50.0
log = logging.getLogger("fosp.stall")
_TASKS = Path("/proc/self/task")


def thread_times() -> dict[int, tuple[str, float, float]]:
    """{native thread id: (name, ms on a CPU, ms runnable but waiting for a CPU)} of every thread of
    this process (Linux schedstat; empty elsewhere); a Python thread's name is its `threading` name."""
    out: dict[int, tuple[str, float, float]] = {}
    python_names = {t.native_id: t.name for t in threading.enumerate()}
    try:
        tasks = list(_TASKS.iterdir())
    except OSError:
        return out
    for task in tasks:
        try:
            run_ns, wait_ns, _ = (task / "schedstat").read_text().split()
            name = python_names.get(int(task.name)) or (task / "comm").read_text().strip()
        except (OSError, ValueError):
            continue
        out[int(task.name)] = (name, int(run_ns) / 1e6, int(wait_ns) / 1e6)
    return out


@dataclass
class StallReport:
    """One long turn: `ms` between the heartbeats around it; `threads`: name -> (ms on a CPU, ms waiting
    for one) over the stall (from when it was noticed); `gui_stack`: the GUI thread's stack then (innermost
    last); `other_stacks`: the other Python threads' (name -> stack)."""

    ms: float
    threads: dict[str, tuple[float, float]] = field(default_factory=dict)
    gui_stack: list[str] = field(default_factory=list)
    other_stacks: dict[str, list[str]] = field(default_factory=dict)

    def text(self) -> str:
        busy = sorted(self.threads.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
        load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"  # none on Windows
        lines = [f"GUI thread stalled {self.ms:.0f} ms; load average {load}; "
                 "threads (ms on a CPU / ms waiting for one): "
                 + ", ".join(f"{name} {run:.0f}/{wait:.0f}" for name, (run, wait) in busy if run + wait >= 1)]
        lines += ["GUI thread:", *("  " + line for line in self.gui_stack)]
        for name, stack in self.other_stacks.items():
            lines += [f"{name}:", *("  " + line for line in stack[-4:])]
        return "\n".join(lines)


def _stack(frame: object, depth: int = 12) -> list[str]:
    summary = traceback.extract_stack(frame, limit=depth)  # type: ignore[arg-type]
    return [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in summary]


class StallReporter(QObject):
    """See module doc. `reports` keeps the last 50 (newest last)."""

    def __init__(self, threshold_ms: float = DEFAULT_THRESHOLD_MS, beat_ms: int = 10,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold_s = threshold_ms / 1000.0
        self.reports: deque[StallReport] = deque(maxlen=50)
        self._gui = threading.get_ident()
        self._beat = time.perf_counter()
        self._timer = QTimer(self, interval=beat_ms, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._stamp)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _stamp(self) -> None:
        self._beat = time.perf_counter()

    def start(self) -> None:
        self._beat = time.perf_counter()
        self._timer.start()
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="fosp-stall-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
            self._thread = None

    def _watch(self) -> None:
        poll = min(0.01, self.threshold_s / 4)
        while not self._stop.wait(poll):
            beat = self._beat
            if time.perf_counter() - beat < self.threshold_s:
                continue
            report, before = self._snapshot()
            while self._beat == beat and not self._stop.wait(poll):
                pass
            after = thread_times()
            report.ms = 1000.0 * (self._beat - beat)
            for tid, (name, run, wait) in after.items():
                run0, wait0 = before.get(tid, (name, run, wait))[1:]
                key = name if name not in report.threads else f"{name}[{tid}]"
                report.threads[key] = (run - run0, wait - wait0)
            self.reports.append(report)
            log.warning("%s", report.text())

    def _snapshot(self) -> tuple[StallReport, dict[int, tuple[str, float, float]]]:
        times = thread_times()
        frames = sys._current_frames()
        names = {t.ident: t.name for t in threading.enumerate()}
        report = StallReport(0.0)
        for ident, frame in frames.items():
            if ident == self._gui:
                report.gui_stack = _stack(frame)
            elif ident != threading.get_ident():
                report.other_stacks[names.get(ident, str(ident))] = _stack(frame)
        return report, times


def install_stall_reporter(parent: QObject, environ: dict[str, str] | None = None) -> StallReporter | None:
    """Start a :class:`StallReporter` (a child of `parent`) when ``FOSP_STALL_REPORT`` asks for one (``1``:
    50 ms, else the number of ms; the one `parent` has already, if any); None when it is unset, empty,
    ``0`` or not a number."""
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    try:
        number = float(value)
    except ValueError:
        return None
    if number <= 0:
        return None
    running = parent.findChild(StallReporter)
    if running is not None:  # create_app again on the same application
        return running
    reporter = StallReporter(DEFAULT_THRESHOLD_MS if number == 1 else number, parent=parent)
    reporter.start()
    return reporter
