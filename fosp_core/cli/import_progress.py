"""``fosp project import``'s progress on a terminal and its clean stop on Ctrl-C.

`TtyProgress` prints ``\\rimporting labels: 120/6000`` on stderr when it is a terminal (as ``fosp
dataset convert`` prints its count), about a hundred times an import, and ends the line.
`stop_on_interrupt` turns the first Ctrl-C (SIGINT) into a request the import checks between masks
(`Project.import_labels`' ``cancelled``): the masks written so far stay whole with their states, and
the command says how many were imported. A second Ctrl-C interrupts at once, as usual.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

__all__ = ["TtyProgress", "stop_on_interrupt"]


class TtyProgress:
    """progress(done, total) for `Project.import_labels`: a count on `stream` when it is a terminal."""

    def __init__(self, what: str = "importing labels", stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not total or not self.stream.isatty():
            return
        if done == total or done % max(1, total // 100) == 0:
            print(f"\r{self.what}: {done}/{total}", end="", file=self.stream, flush=True)
            self.shown = True

    def end(self) -> None:
        """End the count's line (when one was shown)."""
        if self.shown:
            print(file=self.stream, flush=True)
            self.shown = False


@contextmanager
def stop_on_interrupt() -> Iterator[threading.Event]:
    """Within: the first SIGINT sets the event yielded (the caller stops at its next check) and
    puts back the previous handler, so a second one interrupts at once. Off the main thread
    (where no handler can be set) the event is never set by a signal."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.getsignal(signal.SIGINT)

    def first(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, first)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
