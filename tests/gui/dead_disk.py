"""A simulated disk that stops answering, for the video dead-disk tests: `DeadDisk.hold(real)` wraps a write
so that it waits until `released` (or `held_s`, so that a failed test does not hang the run); `stuck`: a write
is held; `done`: a held write has gone on since."""

from __future__ import annotations

import threading
from collections.abc import Callable


class DeadDisk:
    """Holds the writes it replaces until `released` (or `held_s`)."""

    def __init__(self, held_s: float) -> None:
        self.held_s = held_s
        self.stuck, self.released, self.done = threading.Event(), threading.Event(), threading.Event()

    def hold(self, real: Callable[..., object]) -> Callable[..., object]:
        def held(*args: object) -> object:
            self.stuck.set()
            self.released.wait(self.held_s)
            try:
                return real(*args)
            finally:
                self.done.set()
        return held
