"""A whole-video prediction run over an hour of video (90,000 frames at 25 fps) scanned every frame twice
for each frame it predicted: `PredictionWorker.whole_progress()` counted the frames with a summary one by one
(~26 ms a frame at 90,000 frames), and `_next_job` listed and sorted every frame not done to pick the next
one. Both are now amortised O(1) (`fosp_core.video.todo_frames.TodoFrames`, the cache's summary count):
these tests count the cache's ``has_summary`` questions, not time."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from app.video.workers import PredictionWorker
from fosp_core.video.meta import VideoMeta
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.todo_frames import TodoFrames

FRAMES = 600
HOUR_FRAMES = 90_000
WAIT_MS = 60_000


class CountingCache(PredictionCache):
    """Counts ``has_summary`` questions (the per-frame scans)."""

    def __init__(self, frame_count: int) -> None:
        super().__init__(frame_count)
        self.questions = 0
        self._count_lock = threading.Lock()

    def has_summary(self, index: int) -> bool:
        with self._count_lock:
            self.questions += 1
        return super().has_summary(index)


class TinyReader:
    """A reader of `count` 4x4 frames, without decoding (frame `bad` cannot be read)."""

    def __init__(self, count: int, bad: int = -1) -> None:
        self.meta = VideoMeta(path=Path("fake.mp4"), frame_count=count, fps=25.0, width=4, height=4)
        self.bad = bad

    def read(self, index: int) -> np.ndarray:
        if index == self.bad:
            from fosp_core.video.errors import FrameDecodeError
            raise FrameDecodeError(index, "broken packet")
        return np.zeros((4, 4, 3), np.uint8)

    def close(self) -> None:
        pass


def _zeros(rgb: np.ndarray) -> np.ndarray:
    return np.zeros(rgb.shape[:2], np.float32)


def _run_whole(qtbot, cache: CountingCache, reader: TinyReader) -> tuple[PredictionWorker, list[tuple[int, int]]]:  # noqa: ANN001
    worker = PredictionWorker(Path("fake.mp4"), cache, reader=reader)  # type: ignore[arg-type]
    progress: list[tuple[int, int]] = []
    finished: list[bool] = []
    worker.progress.connect(lambda done, total: progress.append((done, total)))
    worker.whole_finished.connect(finished.append)
    worker.set_model(_zeros)
    worker.playhead_moved(FRAMES // 3)  # from the playhead on, then from the start
    assert worker.predict_whole()
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert finished == [False]
    return worker, progress


def test_a_whole_run_asks_about_each_frame_a_bounded_number_of_times(qtbot) -> None:  # noqa: ANN001
    cache = CountingCache(FRAMES)
    worker, progress = _run_whole(qtbot, cache, TinyReader(FRAMES, bad=FRAMES - 5))
    try:
        assert cache.summary_count() == FRAMES - 1
        assert worker.failed_frames == [FRAMES - 5]
        # before: two scans of every frame per frame predicted (~2 * 600 * 600 = 720,000 questions)
        assert cache.questions <= 4 * FRAMES, cache.questions
        assert progress[-1] == (FRAMES, FRAMES)
        dones = [done for done, _ in progress]
        assert dones == sorted(dones)  # the count only grows
        before = cache.questions
        assert worker.whole_progress() == (FRAMES, FRAMES)  # the undecodable frame counts as done
        assert cache.questions == before  # counting asks about no frame
    finally:
        worker.shutdown()


def test_progress_counts_a_failed_frame_once_and_never_one_with_a_summary_twice() -> None:
    cache = PredictionCache(10)
    worker = PredictionWorker(Path("fake.mp4"), cache, reader=TinyReader(10))  # type: ignore[arg-type]
    try:
        cache.put(3, np.zeros((4, 4), np.float32))
        worker._note_failed(3)  # a frame with a summary that later failed to decode: counted once
        worker._note_failed(5)
        worker._note_failed(5)
        assert worker.whole_progress() == (2, 10)
    finally:
        worker.shutdown()


def test_the_todo_finder_follows_the_playhead_and_links_each_done_frame_once() -> None:
    done: set[int] = set()
    todo = TodoFrames(100, done.__contains__)
    assert todo.next_after_playhead(40) == 40
    done.update(range(40, 100))
    assert todo.next_after_playhead(40) == 0  # past the end: from the start
    done.update(range(0, 100))
    assert todo.next_after_playhead(70) is None
    assert todo.checks <= 2 * 100 + 3



def test_picking_near_frames_copies_no_set_of_failed_frames(monkeypatch) -> None:  # noqa: ANN001
    # a damaged hour: thousands of undecodable frames, copied at each pick (O(failed) a frame predicted)
    from fosp_core.video import predictions

    copied: list[int] = []

    def counting_set(items=()):  # noqa: ANN001, ANN202
        made = set(items)
        copied.append(len(made))
        return made

    monkeypatch.setattr(predictions, "set", counting_set, raising=False)
    cache = PredictionCache(HOUR_FRAMES)
    bad = set(range(0, HOUR_FRAMES, 9))
    for head in (0, 500, 40_000):
        cache.set_playhead(head)
        near = cache.wanted(12, 2, skip=bad)
        assert near and not set(near) & bad
    assert sum(copied) == 0, copied  # before: the 10,000 failed frames copied at each pick
