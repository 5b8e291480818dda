"""The video prediction worker cancelled only between frames: a frame tiled into many tiles (a 4K video in
tiled mode on the CPU: seconds a frame) ran all its tiles after Cancel or after the video was left. The
worker now checks between the tiles of a frame, as the image path does (app/analysis/engine_stop.py): the
frame being predicted stops within one tile, nothing of it is cached or reported as failed, and the frame
is predicted in full when it is asked for next."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import app.video.prediction_worker as prediction_worker
from app.video.predicting import with_regions
from app.video.workers import PredictionWorker
from fosp_core.infer.predictor import probability_fn
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.testclip import write_clip
from tests.unit.test_infer_fakes import FakeFoSp

WAIT_MS = 20_000
TILES = 35  # a 256x192 frame in 64 px tiles every 32 px: 7 x 5


class Gate:
    """Counts the tiles' forward passes; `hold()`: the next one waits (on the worker thread) for `release()`."""

    def __init__(self) -> None:
        self.calls = 0
        self.reached, self._go = threading.Event(), threading.Event()
        self._go.set()

    def hold(self) -> None:
        self.reached.clear()
        self._go.clear()

    def release(self) -> None:
        self._go.set()

    def wrap(self, encode):  # noqa: ANN001, ANN202
        def gated(x):  # noqa: ANN001, ANN202
            self.calls += 1
            if not self._go.is_set():
                self.reached.set()
                assert self._go.wait(10), "the test never released the tile"
            return encode(x)

        return gated


@pytest.fixture
def tiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """(clip of 6 frames of 256x192, its cache, the tiled probability function, its gate); only the playhead's
    own frame is prefetched, so that the whole-video job's frames are its own."""
    monkeypatch.setattr(prediction_worker, "PREFETCH_AHEAD", 0)
    monkeypatch.setattr(prediction_worker, "PREFETCH_BEHIND", 0)
    clip = write_clip(tmp_path / "clip.mp4", frames=6, size=(256, 192))
    fn = probability_fn(FakeFoSp(), device="cpu", tiled=True, tile=64, overlap=32, batch_size=1)
    gate = Gate()
    fn.predictor.runner.encode = gate.wrap(fn.predictor.runner.encode)  # (probability_fn's own Predictor)
    return clip, PredictionCache(6), fn, gate


def _predicted(worker: PredictionWorker) -> list[int]:
    seen: list[int] = []
    worker.predicted.connect(lambda _generation, index: seen.append(index))
    return seen


def test_cancel_of_the_whole_video_stops_the_frame_between_its_tiles(qtbot, tiled) -> None:  # noqa: ANN001
    clip, cache, fn, gate = tiled
    worker = PredictionWorker(clip, cache)
    predicted, failed = _predicted(worker), []
    worker.failed.connect(lambda *a: failed.append(a))
    try:
        worker.set_model(fn)
        qtbot.waitUntil(lambda: 0 in predicted, timeout=WAIT_MS)  # the playhead's frame, all its tiles
        assert gate.calls == TILES
        gate.calls = 0
        gate.hold()
        assert worker.predict_whole()
        assert gate.reached.wait(10)  # frame 1, the whole-video job's, in its first tile
        worker.cancel_whole()
        gate.release()
        worker.playhead_moved(2)  # the worker goes on in order: frame 1's tiles left (if any) come first
        qtbot.waitUntil(lambda: 2 in predicted, timeout=WAIT_MS)
        ran = gate.calls - TILES
        assert ran == 1, f"the cancelled frame ran {ran} of its {TILES} tiles"
        assert cache.get(1) is None and not cache.has_summary(1), "a partial prediction was cached"
        assert failed == [] and 1 not in predicted and worker.failed_frames == []

        worker.playhead_moved(1)  # asked for again: predicted in full
        qtbot.waitUntil(lambda: 1 in predicted, timeout=WAIT_MS)
        probability = cache.get(1)
        assert probability is not None and probability.shape == (192, 256)
        assert gate.calls == 1 + 2 * TILES
    finally:
        gate.release()
        worker.shutdown()


@pytest.mark.parametrize("leave", ["retire", "new model"])
def test_leaving_the_video_or_its_model_stops_the_frame_between_its_tiles(qtbot, tiled, leave: str) -> None:  # noqa: ANN001
    clip, cache, fn, gate = tiled
    worker = PredictionWorker(clip, cache)
    predicted = _predicted(worker)
    try:
        gate.hold()
        worker.set_model(with_regions(fn, "core:0.7"))  # (the Regions rule's wrapper keeps the tiles' stop)
        assert gate.reached.wait(10)  # frame 0, in its first tile
        if leave == "retire":
            worker.retire()
        else:
            worker.set_model(None)
        gate.release()
        if leave == "retire":
            worker._thread.join(10)  # its thread ends once the frame is dropped
            assert not worker._thread.is_alive()
        else:
            worker.set_model(fn)  # the next model's prediction works: it comes after the frame left
            qtbot.waitUntil(lambda: 0 in predicted, timeout=WAIT_MS)
            assert cache.get(0) is not None
        ran = gate.calls - (TILES if leave == "new model" else 0)
        assert ran == 1, f"the frame left ran {ran} of its {TILES} tiles"
        assert predicted == ([0] if leave == "new model" else [])
    finally:
        gate.release()
        worker.shutdown()
