"""The video view's prediction thread: :class:`PredictionWorker` keeps the
:class:`~fosp_core.video.predictions.PredictionCache` filled around the playhead (the playhead first, then
frames ahead) with its own reader, and runs the "predict whole video" job with progress and cancel. It
never blocks the display.

It runs a plain Python thread (numpy in, numpy out; OpenCV and torch release the GIL) and hands results to
the GUI thread through queued Qt signals; every signal carries the model's generation, and receivers drop
answers of a generation they no longer wait for. Its thread emits on a relay of its own
(:class:`_PredictionRelay`, no parent) queued on to the worker's signals: the worker deleted between the
thread's "closed" check and its emit was a QObject deleted while another thread emitted its signal
('Signal source has been deleted'; once an abort at exit). Signals emitted on the GUI thread itself
(:meth:`PredictionWorker.set_model`, :meth:`PredictionWorker.cancel_whole`) stay direct. While the video
plays, it predicts with :data:`PLAYING_THREADS` torch intra-op thread(s) (:meth:`PredictionWorker.
set_playing`): on the 2-core machine torch's default (one thread a core, spinning between operators)
left the GUI thread, the frame decoder and the rest of the desktop no core, and the event loop's turns
waited for one (docs/benchmarks-gui.md, "The event loop's gaps during video playback").

Split from :mod:`app.video.workers` (the frame decoder), which re-exports its public names.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from app.relay import Relay
from app.video.tile_stop import RunCancelled, stops_between_tiles
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.reader import FrameDecodeError, FrameReader, open_video, wait_for_index
from fosp_core.video.todo_frames import TodoFrames

ProbabilityFn = Callable[[np.ndarray], np.ndarray]
"""RGB uint8 (H, W, 3) -> float32 smoke probability (H, W) in [0, 1]."""

#: torch intra-op threads of the prediction thread while the video plays (None: torch's default then too).
PLAYING_THREADS: int | None = 1
PREFETCH_AHEAD = 12
PREFETCH_BEHIND = 2
RETIRE_POLL_MS = 100

_RETIRED: set[PredictionWorker] = set()  # retired workers whose threads still run (see retire)


def wait_for_retired(timeout_s: float = 30.0) -> None:
    """Let retired prediction workers finish their frame (the window closes: a process that exits while
    a model runs on another thread is aborted by torch's thread pool), at most `timeout_s` in all."""
    deadline = time.monotonic() + timeout_s
    for worker in list(_RETIRED):
        worker._thread.join(max(0.0, deadline - time.monotonic()))


class _PredictionRelay(Relay):
    """What a PredictionWorker's thread emits on: never deleted while the thread holds it (see module doc)."""

    predicted = Signal(int, int)
    failed = Signal(int, int, str)
    progress = Signal(int, int)
    whole_finished = Signal(bool)


class PredictionWorker(QObject):
    """Fills a PredictionCache in the background (see module doc).

    Signals (all emitted on the GUI thread; the worker thread's through its relay, dropped once this
    object is deleted):
        predicted(generation, index): frame `index`'s probability is in the cache.
        failed(generation, index, reason): frame `index` could not be decoded or predicted.
        progress(done, total): the whole-video job advanced.
        whole_finished(cancelled): the whole-video job ended.
    """

    predicted = Signal(int, int)
    failed = Signal(int, int, str)
    progress = Signal(int, int)
    whole_finished = Signal(bool)

    def __init__(self, path: Path, cache: PredictionCache, parent: QObject | None = None,
                 reader: FrameReader | None = None) -> None:
        super().__init__(parent)
        self._relay = _PredictionRelay()  # made on the GUI thread; queued on to this object, dropped with it
        self._relay.forward_to(self, "predicted", "failed", "progress", "whole_finished")
        self.path = Path(path)
        self.cache = cache
        self._reader = reader
        self._fn: ProbabilityFn | None = None
        self.generation = 0
        self._bad: set[int] = set()
        self._bad_unsummarized = 0  # frames of _bad without a summary: whole_progress counts them as done
        self._todo: TodoFrames | None = None  # the whole-video job's frames left, made when it picks first
        #: Frames this worker's reader could not decode (whatever the model), for the timeline's marks.
        self.undecodable: set[int] = set()
        self._whole = False
        self._closed = False
        self._playing = False
        self._threads_default: int | None = None  # the thread's own intra-op threads, read on first use
        #: The worker's reader is waiting for its packet index before its first read (see _work).
        self.waiting_for_index = False
        #: torch intra-op threads the last prediction ran with, as the worker thread saw them (None: none yet)
        self.threads_used: int | None = None
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="video-predictions", daemon=True)
        self._thread.start()
        # deleted without shutdown() (its window deleted, never closed): the thread stops all the same, once
        # the frame being predicted ends (a model running on at exit aborts the process); the slot holds the
        # Python side (the lock, the flag), not the deleted QObject
        self.destroyed.connect(lambda _obj=None, worker=self: worker.shutdown())

    @property
    def has_model(self) -> bool:
        return self._fn is not None

    @property
    def whole_running(self) -> bool:
        return self._whole

    def whole_progress(self) -> tuple[int, int]:
        """(done, total) of the whole-video job, as ``progress`` reports it: the frames with a prediction of the
        current model or that could not be predicted with it, of all the video's frames. Any thread; O(1):
        counted, never a scan of the frames (each predicted frame asked it: at 90,000 frames, an hour at
        25 fps, 26 ms a frame)."""
        with self._cond:
            bad = self._bad_unsummarized
        total = self.cache.frame_count
        return min(total, self.cache.summary_count() + bad), total

    def _note_failed(self, index: int) -> None:
        """Frame `index` could not be decoded or predicted with the current model (lock held)."""
        if index not in self._bad:
            self._bad.add(index)
            if not self.cache.has_summary(index):
                self._bad_unsummarized += 1

    @property
    def failed_frames(self) -> list[int]:
        """Frames that could not be decoded or predicted with the current model (not tried again)."""
        with self._cond:
            return sorted(self._bad)

    def set_model(self, fn: ProbabilityFn | None, key: str = "") -> int:
        """Predict with `fn` from now on (None stops predicting); clears the cache, unless `key` is the
        key its maps were made under (the same model: a video's kept predictions, opened again). A
        whole-video job goes on with `fn` (None ends it: whole_finished(True)). Returns the new generation
        carried by later signals."""
        with self._cond:
            self.generation += 1
            self._fn = fn
            self._bad.clear()
            self._bad_unsummarized = 0
            self._todo = None
            ended = self._whole and fn is None
            self._whole = self._whole and fn is not None
            if fn is None or not key or key != self.cache.model_key:
                self.cache.reset(key)
            self._cond.notify()
            generation = self.generation
        if ended:
            self.whole_finished.emit(True)
        return generation

    def set_playing(self, playing: bool) -> None:
        """The video plays (predict with PLAYING_THREADS intra-op threads) or not (torch's default)."""
        with self._cond:
            self._playing = playing

    def _apply_threads(self) -> None:
        """On the worker thread, before a prediction: torch's intra-op threads for it (they are the calling
        thread's own: OpenMP's and MKL's settings are per thread). Without torch loaded, nothing."""
        torch = sys.modules.get("torch")
        if torch is None:
            return
        if self._threads_default is None:
            self._threads_default = torch.get_num_threads()
        want = PLAYING_THREADS if self._playing and PLAYING_THREADS else self._threads_default
        if want != self.threads_used:
            if want != torch.get_num_threads():
                torch.set_num_threads(want)
            self.threads_used = torch.get_num_threads()

    def playhead_moved(self, index: int) -> None:
        """The user is at frame `index`: compute around it first."""
        with self._cond:
            self.cache.set_playhead(index)
            self._cond.notify()

    def predict_whole(self) -> bool:
        """Start predicting every frame (progress, whole_finished); False without a model."""
        with self._cond:
            if self._fn is None:
                return False
            self._whole = True
            self._cond.notify()
            return True

    def cancel_whole(self) -> None:
        """Stop the whole-video job after the frame being predicted, or in tiled mode after its tile being
        predicted (the frame dropped; a frame at the playhead goes on: :mod:`app.video.tile_stop`)."""
        with self._cond:
            if self._whole:
                self._whole = False
                self.whole_finished.emit(True)

    def shutdown(self) -> None:
        """Stop: wait for the frame being predicted, in tiled mode for its tile (the window closes: no model
        may run on at exit); the thread closes its reader."""
        self._stop()
        self._thread.join(timeout=30)

    def retire(self, keep_cache: bool = False) -> None:
        """Stop without waiting (another video opens): the thread finishes the frame being predicted (in
        tiled mode its tile being predicted) on its own, keeps nothing of it and emits nothing more, closes its reader and ends; this object
        (no longer a child of its parent, its maps dropped now unless `keep_cache`: kept for the video's
        next open) is deleted once the thread has ended."""
        self._stop()
        if not keep_cache:
            with self._cond:
                self.cache.reset()
                self._todo = None
        self.setParent(None)
        _RETIRED.add(self)
        timer = QTimer(self)  # on the GUI thread: the QObject is deleted where it lives

        def reap() -> None:
            if not self._thread.is_alive():
                timer.stop()
                _RETIRED.discard(self)
                self.deleteLater()

        timer.timeout.connect(reap)
        timer.start(RETIRE_POLL_MS)

    def _stop(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    # --- worker thread -------------------------------------------------------------------------
    def _next_job(self) -> tuple[int, int, ProbabilityFn, bool] | None:
        """(generation, frame, fn, whether the whole-video job asked for it) to compute now, or None to wait.
        Called with the lock held, on the worker thread."""
        fn = self._fn
        if fn is None:
            return None
        count = self.cache.frame_count
        frame_bytes = 2 * (self._reader.meta.width * self._reader.meta.height) if self._reader else 0
        near = self.cache.wanted(PREFETCH_AHEAD, PREFETCH_BEHIND, frame_bytes, skip=self._bad)
        if near:
            return self.generation, near[0], fn, False
        if self._whole:
            index = self._next_whole_frame(count)
            if index is not None:
                return self.generation, index, fn, True
            self._whole = False
            self._relay.progress.emit(count, count)
            self._relay.whole_finished.emit(False)
        return None

    def _unwanted(self, generation: int, index: int, whole: bool) -> bool:
        """Whether the frame being predicted is no longer wanted (asked between two of its tiles, on the worker
        thread): the worker closed (the video left), another model (or none), or the whole-video job that asked
        for it cancelled while the playhead is elsewhere."""
        with self._cond:
            return (self._closed or generation != self.generation
                    or (whole and not self._whole and index != self.cache.playhead))

    def _done(self, index: int) -> bool:
        return self.cache.has_summary(index) or index in self._bad

    def _next_whole_frame(self, count: int) -> int | None:
        """The whole-video job's next frame, from the playhead on, then from the start (lock held): amortised
        O(1) (:class:`~fosp_core.video.todo_frames.TodoFrames`); None when every frame is done. Frames only
        become done under one TodoFrames; one the cache lost meanwhile (reset by another hand) is found by
        the counts at the end, and the frames are looked through again once."""
        head = self.cache.playhead
        if self._todo is None or self._todo.count != count:
            self._todo = TodoFrames(count, self._done)
        index = self._todo.next_after_playhead(head)
        if index is None and self.whole_progress()[0] < count:
            self._todo = TodoFrames(count, self._done)
            index = self._todo.next_after_playhead(head)
        return index

    def _run(self) -> None:
        try:
            self._work()
        finally:
            if self._reader is not None:
                self._reader.close()

    def _work(self) -> None:
        relay = self._relay  # emitted on, never this object (see module doc)
        indexed = False
        while True:
            with self._cond:
                job = None
                while not self._closed:
                    if self._reader is None and self._fn is not None:
                        break
                    job = self._next_job()
                    if job is not None:
                        break
                    self._cond.wait()
                if self._closed:
                    return
            if self._reader is None:
                try:
                    self._reader = open_video(self.path, cache_bytes=32 * 1024 * 1024, decoders=1)
                except Exception as exc:  # noqa: BLE001
                    relay.failed.emit(self.generation, -1, str(exc))
                    with self._cond:
                        self._fn = None
                continue
            if not indexed:  # a read would wait for the scan holding the reader's lock, and fail after 10 s
                self.waiting_for_index = True
                indexed = wait_for_index(self._reader, lambda: not self._closed)
                self.waiting_for_index = False
                continue  # closed meanwhile, or the job to do now may be another
            assert job is not None
            generation, index, fn, whole = job
            try:
                self._apply_threads()
                with stops_between_tiles(fn, functools.partial(self._unwanted, generation, index, whole)):
                    probability = fn(self._reader.read(index))
                # the map's float16 copy and summary are made here, not under the lock the GUI takes
                prepared = self.cache.prepare(np.asarray(probability, np.float32))
                error = None
            except RunCancelled:
                continue  # dropped between two tiles: nothing kept or said; predicted again when asked for
            except FrameDecodeError as exc:
                error = exc.reason
                self.undecodable.add(index)  # before `failed` is emitted: its receivers look here
            except Exception as exc:  # noqa: BLE001 - shown to the user, the worker carries on
                error = f"{type(exc).__name__}: {exc}"
            with self._cond:
                if self._closed:
                    return  # retired while predicting: nobody waits for it
                if generation != self.generation:
                    continue  # the model changed meanwhile: a stale result
                if error is not None:
                    self._note_failed(index)
                else:
                    self.cache.put_prepared(index, *prepared)
                whole = self._whole
            if error is not None:
                relay.failed.emit(generation, index, error)
            else:
                relay.predicted.emit(generation, index)
            if whole:
                relay.progress.emit(*self.whole_progress())
