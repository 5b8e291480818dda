"""A frame read before the video's packet scan is done waits for it (one numbering, display order:
fosp_core.video.reader): in the app that wait is a transient state, never a damaged frame. The scan of
a long file (about 0.1 ms a packet: an hour of 1080p holds 108 000) may outlast the reader's wait; here
the scan is held and the reader's wait cut to 50 ms, so a read that does not wait for the index in the
app fails at once with 'still being indexed'."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.video.workers import PredictionWorker
from fosp_core.video.predictions import PredictionCache
from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip
from tests.held_scan import HeldScan

WAIT_MS = 10_000


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldScan:
    return HeldScan(monkeypatch)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))


def test_a_frame_asked_for_before_the_index_is_shown_once_indexed_never_marked_damaged(
        qtbot, make_window, tmp_path: Path, clip: Path, held: HeldScan) -> None:  # noqa: ANN001
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    video, panel = window.video, window.video.panel
    window.open_paths([clip], remember=False)
    # the user goes to frame 20 as soon as the video is there
    qtbot.waitUntil(lambda: video.active or "Indexing" in panel.opening_label.text(), timeout=WAIT_MS)
    if video.active:
        video.seek(20)
        qtbot.waitUntil(lambda: bool(held.raised), timeout=WAIT_MS)
    else:  # the video waits for its index, the panel says so, the reader is not read meanwhile
        assert not panel.opening.isHidden() and not held.raised
        assert window.statusBar().currentMessage() == "Indexing clip.mp4… (0 of 30 frames)"
    held.release()
    qtbot.waitUntil(lambda: video.active and video.shown_index >= 0, timeout=WAIT_MS)
    assert video.failed_frames == set(), "a frame read before the index was marked undecodable"
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 20):
        video.seek(20)
    assert video.failed_frames == set() and not held.raised
    assert "could not be decoded" not in panel.info_label.text()


def test_cancel_while_indexing_closes_the_video_and_shows_nothing(
        qtbot, make_window, tmp_path: Path, clip: Path, held: HeldScan,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[Path] = []
    close = VideoFileReader.close
    monkeypatch.setattr(VideoFileReader, "close", lambda r: (closed.append(r.path), close(r))[1])
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.open_paths([clip], remember=False)
    qtbot.waitUntil(lambda: window.video.active or "Indexing" in window.video.panel.opening_label.text(),
                    timeout=WAIT_MS)
    assert not window.video.active  # still indexing (the scan is held until the test's end)
    window.video.cancel_open(say=True)
    qtbot.waitUntil(lambda: closed == [clip], timeout=WAIT_MS)  # the scan held: the reader closed anyway
    assert not window.video.active and window.video.opening is None


def test_the_prediction_worker_waits_for_its_index_instead_of_recording_a_failure(
        qtbot, clip: Path, held: HeldScan) -> None:  # noqa: ANN001
    cache = PredictionCache(30)
    worker = PredictionWorker(clip, cache)
    failed: list[tuple[int, str]] = []
    worker.failed.connect(lambda _g, index, reason: failed.append((index, reason)))
    try:
        worker.playhead_moved(20)
        worker.set_model(lambda rgb: rgb[:, :, 0].astype(np.float32) / 255.0)
        # a read that failed meanwhile, or the worker's reader waiting for its index (its scan begun)
        qtbot.waitUntil(lambda: bool(held.raised) or getattr(worker, "waiting_for_index", False), timeout=WAIT_MS)
        held.release()
        qtbot.waitUntil(lambda: cache.has_summary(20) or bool(failed), timeout=WAIT_MS)
        assert cache.has_summary(20) and failed == [] and worker.undecodable == set()
    finally:
        held.release()
        worker.shutdown()
