"""Stopping a training run cleanly: SIGINT and SIGTERM as KeyboardInterrupt for a command-line run
(`stop_signals`), held back while an optimiser update is under way (`interrupt_after`), so the state
saved on a stop is always a whole one; how its user continues a stopped run (`resume_hint`).

The parent-watch thread (a run the app started, `PARENT_ENV`) is stopped while the run's DataLoader
forks its workers (`parent_watch_paused`, `Trainer._loop`), as the fingerprint thread is: it only
waits on an event and reads `os.getppid()`, but a child forked while it held the event's lock (each
second, as its wait times out) or the allocator's would copy that lock held. A new thread goes on
after the fork; a parent that died meanwhile is seen at its first look.

Windows has no signal a parent can send its child (``os.kill(pid, SIGINT)`` there is TerminateProcess,
nothing saved) and no re-parenting: a run the app started watches its stdin instead, the app's pipe
(`_watch_stdin`): a ``stop`` line (the app's Stop) or the pipe's end (the app gone) stops it as SIGINT would."""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

__all__ = ["PARENT_ENV", "RESUME_HINT_ENV", "STOP_LINE", "interrupt_after", "parent_watch_paused", "restart_hint", "resume_hint",
           "stop_signals"]

#: Set by a program that starts the run (the app: its pid): when that process is gone, the run
#: stops as on SIGINT (its state saved) instead of training on, orphaned, after the app crashed.
PARENT_ENV = "FOSP_STOP_WITH_PARENT"
PARENT_POLL_S = 1.0
#: Set by a program that starts the run and continues it itself (the app: "press Resume"): how its
#: user continues a stopped run, in the run's messages instead of the command line's `--resume`.
RESUME_HINT_ENV = "FOSP_RESUME_HINT"


def restart_hint() -> str:
    """What to do after a stop before anything was saved, for the command line ("" in the app,
    whose dialog says it in its own words: `RESUME_HINT_ENV` set)."""
    if os.environ.get(RESUME_HINT_ENV, "").strip():
        return ""
    return "run the same command again (without --resume) to start it"


def resume_hint() -> str:
    """How a stopped run is continued, for its messages: "continue with --resume" on the command
    line, or what `RESUME_HINT_ENV` says (the app sets "press Resume")."""
    return os.environ.get(RESUME_HINT_ENV, "").strip() or "continue with --resume"


def _watch_parent(parent: int, done: threading.Event) -> None:
    """Interrupt this process once its parent is no longer `parent` (it died: the run was re-parented)."""
    while not done.wait(PARENT_POLL_S):
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGINT)
            return


#: what the app writes to a run's stdin to stop it on Windows (`_watch_stdin`)
STOP_LINE = b"stop"


def _watch_stdin(done: threading.Event) -> None:
    """Windows: interrupt the main thread (as SIGINT: KeyboardInterrupt, or held back by `interrupt_after`) at
    a `STOP_LINE` on stdin or at its end (the app that holds the pipe's other end is gone), unless `done`."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return
    try:
        while (line := stream.readline()) and line.strip() != STOP_LINE:
            pass
    except (OSError, ValueError):  # a closed or broken stdin: the app is gone
        pass
    if not done.is_set():
        _thread.interrupt_main(signal.SIGINT)


class _ParentWatch:
    """The thread that interrupts this process once its parent is gone; stoppable (`paused`)."""

    def __init__(self, parent: int) -> None:
        self.parent = parent
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.done = threading.Event()
        self.thread = threading.Thread(target=_watch_parent, args=(self.parent, self.done), name="fosp-parent-watch",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()
            self.thread = None


_watching: list[_ParentWatch] = []  # the watch of the `stop_signals` block in force, if any


@contextlib.contextmanager
def parent_watch_paused() -> Iterator[None]:
    """No parent-watch thread alive inside (a fork then copies no lock it holds); a new one goes on
    after. A no-op without one (a command-line run, `PARENT_ENV` unset)."""
    watch = _watching[-1] if _watching else None
    if watch is None or watch.thread is None:
        yield
        return
    watch.stop()
    try:
        yield
    finally:
        watch.start()


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """For a command-line run: SIGINT (Ctrl-C, the app's Stop) and SIGTERM (`kill`, a batch
    scheduler's notice) both raise KeyboardInterrupt, so the run saves its state and exits.

    A process started in the background of a non-interactive shell inherits SIGINT *ignored*, and
    Python then leaves it ignored: without this, a stop would be lost and the run killed later
    without a saved state. Main thread only; the previous handlers come back afterwards. With
    `PARENT_ENV` naming the parent's pid, the parent's death is a stop too (on Windows: a stop line
    on stdin or its end, `_watch_stdin`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parent = os.environ.get(PARENT_ENV, "")
    watch = _ParentWatch(int(parent)) if parent.isdigit() and os.name == "posix" else None
    if watch is not None:
        watch.start()
        _watching.append(watch)
    piped = threading.Event()  # set when the block ends: a later stop line or end of stdin interrupts nothing
    if parent.isdigit() and os.name == "nt":  # started by the app: its Stop and its end come through stdin
        threading.Thread(target=_watch_stdin, args=(piped,), name="fosp-stdin-watch", daemon=True).start()
    try:
        yield
    finally:
        piped.set()
        if watch is not None:
            _watching.remove(watch)
            watch.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


@contextlib.contextmanager
def interrupt_after() -> Iterator[None]:
    """Hold back SIGINT (Ctrl-C, the app's Stop) and, under `stop_signals`, SIGTERM until the block
    is done, then raise KeyboardInterrupt.

    Only on the main thread, for signals whose handler is Python's default (KeyboardInterrupt);
    elsewhere a no-op."""
    sigs = [sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is signal.default_int_handler]
    if threading.current_thread() is not threading.main_thread() or not sigs:
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: caught.append(signum)) for sig in sigs}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        raise KeyboardInterrupt
