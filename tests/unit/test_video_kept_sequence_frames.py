"""A kept image sequence's predictions are not given back once one of its frames changed.

An image-sequence video is a folder: its own size and modification time change only when a frame is
added, removed or renamed, not when a frame file is written again in place (an editor's Save, `cp`
over it). Its identity is its frame files' names, sizes and modification times, probed on a thread of
the store's own just after the close (``settle`` waits for it: an edit comes later than that)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from fosp_core.video.kept_predictions import KeptPredictions, video_identity
from fosp_core.video.predictions import PredictionCache


def _cache(frames: int) -> PredictionCache:
    cache = PredictionCache(frames)
    cache.reset("m#1|plain")
    for i in range(frames):
        cache.put(i, np.full((4, 4), 0.5, np.float32))
    return cache


def _sequence(folder: Path) -> list[Path]:
    folder.mkdir()
    frames = [folder / f"{i:04d}.png" for i in range(3)]
    for f in frames:
        f.write_bytes(b"frame " + f.name.encode())
    return frames


def test_a_frame_written_again_in_place_gets_nothing_back(tmp_path: Path) -> None:
    frames = _sequence(tmp_path / "seq")
    before = os.stat(tmp_path / "seq")
    kept = KeptPredictions()
    assert kept.keep(tmp_path / "seq", _cache(3))
    kept.settle()
    frames[1].write_bytes(b"another frame, longer")
    after = os.stat(tmp_path / "seq")
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)  # the folder's own: same
    assert kept.take(tmp_path / "seq", 3) is None


def test_a_frame_of_the_same_size_with_another_time_gets_nothing_back(tmp_path: Path) -> None:
    frames = _sequence(tmp_path / "seq")
    kept = KeptPredictions()
    assert kept.keep(tmp_path / "seq", _cache(3))
    kept.settle()
    st = frames[2].stat()
    os.utime(frames[2], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert kept.take(tmp_path / "seq", 3) is None


def test_an_unchanged_sequence_is_given_back(tmp_path: Path) -> None:
    _sequence(tmp_path / "seq")
    (tmp_path / "seq" / "notes.txt").write_text("not a frame")
    kept, cache = KeptPredictions(), _cache(3)
    identity = video_identity(tmp_path / "seq")
    assert kept.keep(tmp_path / "seq", cache)
    (tmp_path / "seq" / "notes.txt").write_text("not a frame, edited")  # not a frame: no matter
    assert video_identity(tmp_path / "seq") == identity
    assert kept.take(tmp_path / "seq", 3) is cache
