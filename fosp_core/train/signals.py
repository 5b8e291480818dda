"""Stopping a training run cleanly: SIGINT and SIGTERM as KeyboardInterrupt for a command-line run
(`stop_signals`), held back while an optimiser update is under way (`interrupt_after`), so the state
saved on a stop is always a whole one; how its user continues a stopped run (`resume_hint`)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

__all__ = ["PARENT_ENV", "RESUME_HINT_ENV", "interrupt_after", "restart_hint", "resume_hint", "stop_signals"]

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


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """For a command-line run: SIGINT (Ctrl-C, the app's Stop) and SIGTERM (`kill`, a batch
    scheduler's notice) both raise KeyboardInterrupt, so the run saves its state and exits.

    A process started in the background of a non-interactive shell inherits SIGINT *ignored*, and
    Python then leaves it ignored: without this, a stop would be lost and the run killed later
    without a saved state. Main thread only; the previous handlers come back afterwards. With
    `PARENT_ENV` naming the parent's pid, the parent's death is a stop too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    done = threading.Event()
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and os.name == "posix":
        threading.Thread(target=_watch_parent, args=(int(parent), done), name="fosp-parent-watch", daemon=True).start()
    try:
        yield
    finally:
        done.set()
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
