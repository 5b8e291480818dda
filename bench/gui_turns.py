"""The GUI thread's longest turn, for the huge-photo benches (bench_huge_turns, bench_huge_threshold):
their child's window, a QApplication that times each event it delivers at the top level, and a pump of its loop until a step
has landed. Needs PySide6 (imported when the app is made)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def timed_app() -> Any:
    """A QApplication (made now) whose ``longest`` is the most ms one event delivered at the top level took
    since it was last set (nested sends count in their caller's)."""
    from PySide6.QtWidgets import QApplication

    class TimedApp(QApplication):
        """Times each event delivered at the top level (nested sends count in their caller's)."""

        depth, longest = 0, 0.0

        def notify(self, receiver, event):  # noqa: ANN001, ANN202
            if self.depth:
                return super().notify(receiver, event)
            self.depth, start = 1, time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                self.depth = 0
                self.longest = max(self.longest, (time.perf_counter() - start) * 1000)

    return TimedApp([])


def pump(app: Any, landed: Callable[[], bool], start_longest: float, settle: float = 0.3,
         limit: float = 120.0) -> float:
    """Run `app`'s loop (a `timed_app`) from ``longest`` = `start_longest` until `landed` and `settle` s
    more; the longest the GUI thread spent on one thing meanwhile (ms). TimeoutError after `limit` s."""
    app.longest = start_longest
    end, extra = time.perf_counter() + limit, None
    while time.perf_counter() < end:
        app.processEvents()
        if extra is None and landed():
            extra = time.perf_counter() + settle
        if extra is not None and time.perf_counter() > extra:
            return app.longest
        time.sleep(0.002)
    raise TimeoutError("the step did not land")


def huge_child(tree: Path, folder: Path, size: str, prefix: str) -> tuple[Any, Any, Any]:
    """A huge-photo bench child's start: offscreen Qt, the package of `tree` first on sys.path (this folder
    next), large blocks given back to the system (as create_app does), a `timed_app`, and
    `huge_photos.predicted_window` on a `size` ("WxH") photo written into `folder`, its temporary folder
    named `prefix`...; (app, window, probability map)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path[:0] = [str(tree), str(HERE)]
    from huge_photos import predicted_window

    from app.memory_return import return_large_blocks

    return_large_blocks()
    app = timed_app()
    window, probability = predicted_window(folder, size, prefix)
    return app, window, probability
