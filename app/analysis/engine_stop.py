"""Stopping the inference engine (:mod:`app.analysis.inference_worker`): a run is cancelled between its
images and, in tiled mode, between the tiles of an image (a huge image on the CPU takes minutes; a close or
a Stop waited for all of it); the engine's thread is stopped as the window closes.

A cancelled image's tiles done so far are dropped: :class:`RunCancelled` leaves the predictor's call before
its maps are assembled (and before anything is cached), so no partial result is kept or shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import shiboken6
from PySide6.QtCore import QThread


class RunCancelled(Exception):
    """The request was cancelled between two tiles of an image (raised from the predictor's tile hook)."""


class _Cancellable(Protocol):
    cancel_upto: int


@contextmanager
def between_tiles(predictor: object, cancelled: Callable[[], bool]) -> Iterator[None]:
    """While in the block, `predictor` (a :class:`~fosp_core.infer.predictor.Predictor`; its
    ``tile_progress`` hook, called after each forward pass of a tiled image) raises :class:`RunCancelled`
    once `cancelled()` says so; the hook it had is put back after."""

    def check(done: int, total: int) -> None:
        if cancelled():
            raise RunCancelled(f"cancelled after {done} of {total} tiles")

    before = getattr(predictor, "tile_progress", None)
    predictor.tile_progress = check  # type: ignore[attr-defined]
    try:
        yield
    finally:
        predictor.tile_progress = before  # type: ignore[attr-defined]


def stop_thread(thread: QThread, engine: _Cancellable) -> None:
    """Cancel every request of `engine` and stop its `thread`: waits for the image being predicted, or in
    tiled mode for its tile being predicted (the window is hidden first: ``MainWindow.closeEvent``)."""
    if not (shiboken6.isValid(thread) and shiboken6.isValid(engine)):  # at exit, gone before the worker
        return
    engine.cancel_upto = sys.maxsize
    if thread.isRunning():
        thread.quit()
        thread.wait()
