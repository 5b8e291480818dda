"""fosp_core.video.kept_predictions: the predictions of a video closed, kept for its next open (trimmed
to its summaries and the maps nearest where the user was), given back only for the same file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from fosp_core.video.kept_predictions import KeptPredictions
from fosp_core.video.predictions import PredictionCache


def _cache(frames: int = 10, key: str = "m#1|plain") -> PredictionCache:
    cache = PredictionCache(frames)
    cache.reset(key)
    for i in range(frames):
        cache.put(i, np.full((10, 10), i / frames, np.float32))  # 200 bytes a map
    cache.set_playhead(6)
    return cache


def test_kept_trimmed_to_the_maps_nearest_the_playhead(tmp_path: Path) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x" * 10)
    kept, cache = KeptPredictions(map_bytes=600), _cache()
    assert kept.keep(video, cache)
    assert cache.cached_frames() == [5, 6, 7] and cache.summary_count() == 10
    assert kept.take(video, 11) is None  # another frame count: not this file's
    assert kept.keep(video, cache) and kept.take(video, 10) is cache and kept.take(video, 10) is None


def test_a_changed_file_gets_nothing_back_and_the_oldest_goes(tmp_path: Path) -> None:
    videos = [tmp_path / f"{n}.mp4" for n in "abc"]
    for v in videos:
        v.write_bytes(b"x")
    kept = KeptPredictions(videos=2)
    assert not kept.keep(videos[0], PredictionCache(10))  # nothing predicted: nothing kept
    for v in videos:
        kept.keep(v, _cache())
    assert len(kept) == 2 and kept.take(videos[0], 10) is None
    kept.settle()  # the identities probed just after the closes (on threads of their own)
    stat = videos[1].stat()
    os.utime(videos[1], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert kept.take(videos[1], 10) is None
    assert kept.take(videos[2], 10) is not None
    assert kept.take(tmp_path / "gone.mp4", 10) is None
