"""A modal dialog that nobody answers never hangs the suite.

Under ``QT_QPA_PLATFORM=offscreen`` no one can click a modal ``QMessageBox.exec()``, ``QDialog.exec()``,
``QFileDialog`` or ``QInputDialog``: a test (or its teardown: pytest-qt closes the windows, and a
window with edits not saved asks Retry / Discard / Cancel) that reaches one by accident waits
forever. `ModalDialogGuard` is a timer on the GUI thread; it fires inside the dialog's own event
loop, and a modal widget that it finds still open at `SIGHTINGS` idle ticks (so one that the test
answers itself, from a ``QTimer.singleShot`` or a monkeypatched ``exec``, is gone well before)
is described (`describe`) and answered with its safest button (`answer`: Escape's button, Cancel or
No; never Discard, Yes or Save). `tests/conftest.py` starts one guard for the whole run (at the first
test that uses pytest-qt: tests/gui and tests/e2e) and fails the test in whose phase (setup, call,
teardown) a dialog was answered, with the dialog's text.

Idle ticks: a tick counts only when this process wanted no CPU since the last one (`ProcessActivity`:
its threads neither ran nor waited for a core) and came on time (a late tick: the process was starved,
or the GUI thread busy). While a worker computes what the test waits for before it answers, however long a
loaded two-core machine makes it, the dialog is left alone; a dialog that nobody will answer (nothing
runs) is answered after `SIGHTINGS` ticks, and one kept open past `MAX_OPEN_S` is answered whatever runs.

At teardown (`close_widgets`, before pytest-qt's own closing) a window whose close the guard cancelled
(edits not saved: Retry / Discard / Cancel answered Cancel) is closed for real (`shut_down`), its
edits not discarded (their recovery logs stay), so that it and its threads do not live on into the next test.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLabel, QMessageBox, QWidget

__all__ = ["BUSY_SHARE", "INTERVAL_MS", "MAX_OPEN_S", "SIGHTINGS", "ModalDialogGuard", "ProcessActivity", "answer",
           "close_widgets", "describe", "shut_down"]

INTERVAL_MS = int(os.environ.get("FOSP_TEST_MODAL_GUARD_MS", "500"))
"""How often the guard looks for a modal widget (ms): 500, or `FOSP_TEST_MODAL_GUARD_MS` (the child runs of
tests/gui/test_modal_guard.py and tests/e2e/test_modal_guard_e2e.py: 100, each of their dialogs answered in
~0.4 s instead of ~2 s, the same rules)."""

SIGHTINGS = 4
"""At how many idle ticks a modal widget must be seen open before the guard answers it (at 500 ms, 1.5 to 2 s of a
process that waits on nothing): a dialog that the test answers from its own timer is never touched."""

MAX_OPEN_S = 30.0
"""A modal widget open this long (s) is answered even while the process is busy (a thread that spins for
ever): a hang lasts no longer, well under the per-test limit (`timeout` in pyproject.toml)."""

BUSY_SHARE = 0.2
"""The process is busy when its threads ran or waited to run for more than this share of a tick's time."""

LATE = 1.5
"""A tick that comes more than this many intervals after the last one is late (the process starved)."""

_SAFE_ROLES = (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole)


def describe(widget: QWidget) -> str:
    """One line naming the modal `widget`: its class, title and the words it shows."""
    kind, title = type(widget).__name__, widget.windowTitle()
    if isinstance(widget, QMessageBox):
        words = [widget.text(), widget.informativeText()]
        buttons = [b.text().replace("&", "") for b in widget.buttons()]
        return f"{kind} {title!r}: {' | '.join(w for w in words if w)!r}, buttons {buttons}"
    if isinstance(widget, QFileDialog):
        return f"{kind} {title!r} in {widget.directory().absolutePath()!r}"
    if isinstance(widget, QInputDialog):
        return f"{kind} {title!r}: {widget.labelText()!r}"
    labels = [label.text() for label in widget.findChildren(QLabel) if label.isVisible() and label.text()]
    return f"{kind} {title!r}: {' | '.join(labels)!r}"


def answer(widget: QWidget) -> str:
    """Close the modal `widget` the safest way: a message box's Escape button, else its Cancel/No
    (reject or no role), else its only button (an OK that just tells); a dialog is rejected (Cancel);
    another widget is closed. Returns what was done. Never a destructive (Discard) or accepting choice
    among several."""
    if isinstance(widget, QMessageBox):
        button = widget.escapeButton()
        if button is not None and widget.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole:
            button = None  # an Escape that discards is not safe
        if button is None:
            button = next((b for role in _SAFE_ROLES for b in widget.buttons() if widget.buttonRole(b) == role), None)
        if button is None and len(widget.buttons()) == 1 \
                and widget.buttonRole(widget.buttons()[0]) != QMessageBox.ButtonRole.DestructiveRole:
            button = widget.buttons()[0]
        if button is not None:
            button.click()
            return f"clicked {button.text().replace('&', '')!r}"
    if isinstance(widget, QDialog):
        widget.reject()
        return "rejected (Cancel)"
    widget.close()
    return "closed"


class ProcessActivity:
    """Whether this process wanted CPU between two looks: on Linux the time its threads ran or waited on a
    run queue (``/proc/self/task/*/schedstat``: a starved worker waits, so it counts as much as one that
    runs); elsewhere the process's CPU time."""

    def __init__(self) -> None:
        self._last = self._sample()

    @staticmethod
    def _threads() -> dict[str, int] | None:
        """Each thread's nanoseconds run and waited for a core so far (None without /proc)."""
        try:
            tasks = os.listdir("/proc/self/task")
        except OSError:
            return None
        wanted: dict[str, int] = {}
        for tid in tasks:
            try:
                with open(f"/proc/self/task/{tid}/schedstat", encoding="ascii") as stat:
                    run_ns, wait_ns = stat.read().split()[:2]
            except (OSError, ValueError):
                continue  # a thread that just ended
            wanted[tid] = int(run_ns) + int(wait_ns)
        return wanted or None

    def _sample(self) -> tuple[dict[str, int], float]:
        return self._threads() or {}, time.process_time()

    def wanted_s(self) -> float:
        """Seconds of CPU that the process's threads used or waited for since the last call: those of the
        threads alive now, or the process's CPU time (with that of threads ended meanwhile) when more."""
        (threads, cpu), (last_threads, last_cpu) = self._sample(), self._last
        self._last = threads, cpu
        wanted_ns = sum(ns - last_threads.get(tid, 0) for tid, ns in threads.items())  # a new one: all its life
        return max(wanted_ns / 1e9, cpu - last_cpu)

    def busy(self, elapsed_s: float) -> bool:
        """Whether the process wanted more than `BUSY_SHARE` of the `elapsed_s` since the last call."""
        return self.wanted_s() > BUSY_SHARE * max(elapsed_s, 1e-3)


class ModalDialogGuard:
    """See module doc. `found` lists, in order, each dialog answered (`take` empties it). `activity` and
    `clock` are the process's (tests give their own)."""

    def __init__(self, interval_ms: int = INTERVAL_MS, sightings: int = SIGHTINGS, max_open_s: float = MAX_OPEN_S,
                 activity: ProcessActivity | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.sightings = sightings
        self.max_open_s = max_open_s
        self.found: list[str] = []
        #: the C++ address of the modal widget seen at the last tick (a dialog that C++ made, as the static
        #: QMessageBox.question does, gets a new Python wrapper at each look)
        self._seen: int | None = None
        self._idle = 0  # idle ticks that the widget seen has been open
        self._since = 0.0  # when it was first seen
        self._hurried = False
        self._interval_s = interval_ms / 1000
        self._activity = activity if activity is not None else ProcessActivity()
        self._clock = clock
        self._last_tick = clock()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Look from now on (again); the timer needs a QApplication."""
        if not self._timer.isActive():
            self._last_tick = self._clock()
            self._timer.start()

    def stop(self) -> None:
        """Look no more."""
        self._timer.stop()

    def running(self) -> bool:
        """Whether the guard looks."""
        return self._timer.isActive()

    def take(self) -> list[str]:
        """The dialogs answered since the last call (each a line: what it said and what was done)."""
        found, self.found = self.found, []
        return found

    @contextmanager
    def hurried(self) -> Iterator[None]:
        """Within: a modal widget is answered at the first tick that sees it (a window closed for real)."""
        self._hurried = True
        try:
            yield
        finally:
            self._hurried = False

    def tick(self) -> None:
        """One look: count the idle ticks that the active modal widget stays open; answer it at `sightings`
        of them, or once it has been open `max_open_s`."""
        now = self._clock()
        elapsed, self._last_tick = now - self._last_tick, now
        busy = self._activity.busy(elapsed) or elapsed > LATE * self._interval_s
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            self._seen, self._idle = None, 0
            return
        address = shiboken6.getCppPointer(widget)[0]
        if address != self._seen:
            self._seen, self._idle, self._since = address, 0, now
        self._idle += 0 if busy else 1
        if self._idle < self.sightings and now - self._since < self.max_open_s and not self._hurried:
            return
        self._seen, self._idle = None, 0
        said = describe(widget)
        self.found.append(f"{said}; {answer(widget)} by the guard")


def shut_down(widget: QWidget) -> bool:
    """Close `widget` for real after its close was cancelled: a `MainWindow` closes without asking about its
    edits or video.json not saved (neither discarded: recovery logs stay, as after a crash), so that its
    workers stop and its projects' locks are released. Returns whether it closed; another widget is hidden."""
    main_window = sys.modules.get("app.main_window")
    if main_window is not None and isinstance(widget, main_window.MainWindow):
        asking = (widget.annotation.controller, widget.video)
        for owner in asking:
            owner.confirm_close = lambda *args: True  # type: ignore[method-assign]
        try:
            if widget.close():
                return True
        finally:
            for owner in asking:
                del owner.confirm_close
    widget.hide()
    return False


def close_widgets(item: pytest.Item, guard: ModalDialogGuard) -> None:
    """pytest-qt's closing of the test's widgets (`qtbot.addWidget`), done first: a widget whose close the
    guard cancelled (it answered a dialog during it) is closed for real (`shut_down`), any dialog that
    this opens answered at once; the guard's lines say so."""
    QApplication.processEvents()
    for ref, before_close in getattr(item, "qt_widgets", ()):
        widget = ref()
        if widget is None:
            continue
        if before_close is not None:
            before_close(widget)
        answered = len(guard.found)
        if not widget.close() and len(guard.found) > answered:
            with guard.hurried():
                closed = shut_down(widget)
            guard.found.append(f"{type(widget).__name__} {widget.windowTitle()!r}: "
                               f"{'closed for real' if closed else 'hidden (it cannot be closed)'} by the guard, "
                               "nothing discarded")
        widget.deleteLater()
    if hasattr(item, "qt_widgets"):
        del item.qt_widgets
