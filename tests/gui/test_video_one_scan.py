"""The app's video reader and its prediction worker's reader share one packet scan of the file
(fosp_core.video.index_cache): the worker's reader takes the index the open waited for. Counted, not timed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video
from tests.unit.test_video_index_shared import CountedScan


def test_the_prediction_worker_does_not_scan_the_file_again(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))
    scans = CountedScan(monkeypatch)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    video.set_model(lambda rgb: rgb[:, :, 0].astype(np.float32) / 255.0, "red")
    video.seek(12)
    qtbot.waitUntil(lambda: video.cache is not None and video.cache.has_summary(12), timeout=10_000)
    assert video.worker is not None and video.worker._reader is not None  # it predicted with its own reader
    assert video.worker._reader is not video.reader
    assert scans.paths == [clip]
