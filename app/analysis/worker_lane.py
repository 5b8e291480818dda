"""One worker thread for the analysis view's heavy array work, with the rules its readers share.

The canvas's layers (:mod:`app.analysis.upsampler`, :mod:`app.analysis.deferred_overlays`), the shown
result's thresholded layers (:mod:`app.analysis.shown_work`) and the compare grid's mask pictures
(:mod:`app.analysis.grid_masks`) each make arrays of a huge photo off the GUI thread the same way:

* every request carries a token (the reader's generation: which result, which threshold it was
  asked for); :attr:`WorkerLane.current` is the one still wanted, an int read across threads;
* a request whose token is no longer current when the worker reaches it is skipped (the user moved
  on: its seconds are not spent);
* the answer is handed to `emit` (a Qt signal's ``emit``: queued to the GUI thread) from the worker,
  under a lock, only while the lane is open and the token still current; a QObject deleted
  meanwhile (the window closed) tells no one;
* :meth:`WorkerLane.close` stops it: queued requests are dropped, the one running finishes and
  tells no one.

A lane may queue on another's thread (``WorkerLane(share=...)``: one worker, requests in order) with
tokens of its own; the owner's :meth:`~WorkerLane.close` stops the thread. The receiver still drops
an answer that is stale when it arrives (a newer request made after the worker's check).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["WorkerLane"]


class WorkerLane:
    """See the module docstring. `name`: the worker thread's name prefix (an owned thread);
    `share`: another lane whose thread this one queues on."""

    def __init__(self, name: str = "fosp-worker", share: WorkerLane | None = None) -> None:
        self._owner = share is None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) if share is None else share._pool
        self.current = 0  # the token whose requests are still worth running
        self._alive = True
        self._lock = threading.Lock()
        #: the thread each of the last requests ran on (tests; bounded: one a request all session)
        self.threads: deque[threading.Thread] = deque(maxlen=16)

    @property
    def alive(self) -> bool:
        """Whether the lane is open (not closed)."""
        return self._alive

    def submit(self, token: int, work: Callable[[], Any], emit: Callable[[int, Any], None]) -> bool:
        """Run ``work()`` on the worker and hand ``emit(token, result)`` its result unless `token` is
        no longer :attr:`current` by then (skipped, or not told). False: the lane is closed (nothing
        will come)."""
        if not self._alive:
            return False
        try:
            self._pool.submit(self._run, token, work, emit)
        except RuntimeError:  # the worker was stopped (the window closes): no one waits for it
            return False
        return True

    def _run(self, token: int, work: Callable[[], Any], emit: Callable[[int, Any], None]) -> None:
        if token != self.current or not self._alive:
            return  # asked again meanwhile: not worth its seconds
        self.threads.append(threading.current_thread())
        result = work()
        with self._lock:
            if self._alive and token == self.current:
                try:
                    emit(token, result)
                except RuntimeError:  # the QObject was deleted meanwhile (the window closed)
                    pass

    def close(self) -> None:
        """Stop: queued requests are dropped, the one running finishes and tells no one."""
        with self._lock:
            self._alive = False
        if self._owner:
            self._pool.shutdown(wait=False, cancel_futures=True)
