"""Daemon threads and C++ extensions at interpreter exit.

A daemon thread (the app's decode workers) that comes back from a call that released the GIL
while the interpreter finalizes is ended with ``pthread_exit``. Through C frames (Pillow, numpy,
CPython) that unwinds cleanly; through C++ frames that release the GIL in a destructor, as
OpenCV's bindings do, it aborts the process ("terminate called without an active exception").
Wrap such calls in :func:`native_code`: at exit, calls under way are waited for (they are short:
the reader only uses OpenCV as a rare fallback) and new ones never start."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Condition()
_calls = 0
_exiting = False


@contextmanager
def native_code() -> Iterator[None]:
    """Around OpenCV calls (see above); outside the main thread, a call asked for after exit
    began parks its thread for good (the process is ending)."""
    global _calls
    with _lock:
        if _exiting and threading.current_thread() is not threading.main_thread():
            while True:
                _lock.wait()
        _calls += 1
    try:
        yield
    finally:
        with _lock:
            _calls -= 1
            _lock.notify_all()


@atexit.register
def _finish_native_code() -> None:
    global _exiting
    with _lock:
        _exiting = True
        while _calls:
            _lock.wait()
