"""Stopping a video frame's prediction between its tiles (:class:`app.video.prediction_worker.PredictionWorker`).

In tiled mode a frame is many forward passes (a 4K frame on the CPU: seconds); the worker cancelled only
between frames, so Cancel, leaving the video or another model waited for the whole frame. The image path's
mechanism is reused (:mod:`app.analysis.engine_stop`): the predictor's ``tile_progress`` hook, called after
each forward pass of a tiled image, raises :class:`~app.analysis.engine_stop.RunCancelled` once the frame is
no longer wanted, before its maps are assembled, so nothing of it is kept.

The video's probability function (`fosp_core.infer.predictor.probability_fn`, its ``predictor`` attribute)
is loaded once and reused for every video: a retired worker may still be ending its frame on it while the
next video's worker waits for the predictor's lock. So the hook installed here asks the calling thread's own
check (each worker has its thread), never another worker's; a function without a predictor (a plain
function, a model that does not tile) runs as before, stopped between frames only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.analysis.engine_stop import RunCancelled

__all__ = ["RunCancelled", "stops_between_tiles"]

_CHECKS: dict[int, Callable[[], bool]] = {}  # thread id -> whether its frame is no longer wanted


def _between_tiles(done: int, total: int) -> None:
    check = _CHECKS.get(threading.get_ident())
    if check is not None and check():
        raise RunCancelled(f"cancelled after {done} of {total} tiles")


@contextmanager
def stops_between_tiles(fn: object, cancelled: Callable[[], bool]) -> Iterator[None]:
    """While in the block, `fn`'s predictor (if it has one) raises :class:`RunCancelled` between two tiles of
    a call on this thread once `cancelled()` says so. The hook stays installed after (it does nothing on a
    thread with no check); a predictor with another hook of its own is left alone."""
    predictor = getattr(fn, "predictor", None)
    if predictor is not None and getattr(predictor, "tile_progress", None) in (None, _between_tiles):
        predictor.tile_progress = _between_tiles
    me = threading.get_ident()
    _CHECKS[me] = cancelled
    try:
        yield
    finally:
        _CHECKS.pop(me, None)
