"""Wait for a thread to end or to be blocked at a given place (no tests here): a race test that lets a
thread run into a guard held by the test, then goes on, waits on that event instead of a fixed
`thread.join(2)` (each such second was waited in full whenever the guard works)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

#: two looks this far apart must both find the thread there: a thread only passing through (an uncontended
#: acquire) is not taken for a blocked one
SETTLE_S = 0.02


def _stack(thread: threading.Thread) -> list[FrameType]:
    frame = sys._current_frames().get(thread.ident or -1)
    frames: list[FrameType] = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def in_function(name: str) -> Callable[[list[FrameType]], bool]:
    """A thread's stack holds a frame of function `name` (e.g. `folder_guard`'s wait for its flock)."""
    return lambda frames: any(f.f_code.co_name == name for f in frames)


def at_line_starting(text: str) -> Callable[[list[FrameType]], bool]:
    """The thread's innermost frame is at a source line starting with `text` (e.g. a `with _guard(` whose
    `threading.Lock` another thread holds: the acquire is a C call, its frame stays on that line)."""
    import linecache

    def check(frames: list[FrameType]) -> bool:
        return bool(frames) and linecache.getline(frames[0].f_code.co_filename,
                                                  frames[0].f_lineno).strip().startswith(text)
    return check


def done_or_blocked(thread: threading.Thread, blocked: Callable[[list[FrameType]], bool],
                    timeout: float = 30.0) -> str:
    """'done' when `thread` ended, 'blocked' when two looks `SETTLE_S` apart found it where `blocked` says,
    'timeout' after `timeout` s of neither."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            return "done"
        if blocked(_stack(thread)):
            time.sleep(SETTLE_S)
            if not thread.is_alive():
                return "done"
            if blocked(_stack(thread)):
                return "blocked"
        time.sleep(0.002)
    return "timeout"
