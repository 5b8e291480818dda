"""Session 32's bad-input sweep (helper F), videos: an MP4 cut short before its index (the moov box,
which OpenCV and most cameras write at the end) - an unfinished copy or download, a recording stopped
before it was closed. It was "not a readable video (container or codec not recognised, or file damaged)"
in `fosp predict` and the app's video reader alike; now both say it is cut short and its index is
missing. A whole file and a random-bytes .mp4 are told as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.infer.video import VideoReadError, probe_video
from fosp_core.io.media_sniff import movie_cut_short
from fosp_core.video.reader import open_video
from tests.odd_inputs import write_video

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "videos" / "ijmond-blast-furnace-dusk.mp4"


def _cut(source: Path, path: Path, share: float = 1 / 3) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path


def _reasons(path: Path) -> list[str]:
    reasons = []
    for opener in (open_video, probe_video):
        with pytest.raises(VideoReadError) as caught:
            opener(path)
        assert caught.value.path == path
        reasons.append(caught.value.reason)
    return reasons


def test_an_mp4_cut_before_its_index_is_told_cut_short(tmp_path: Path) -> None:
    path = _cut(write_video(tmp_path / "whole.mp4", 10), tmp_path / "cut.mp4")

    for reason in _reasons(path):
        assert "cut short" in reason and "moov" in reason, reason


def test_a_real_video_cut_short_is_told_cut_short(tmp_path: Path) -> None:
    if not REAL.is_file():
        pytest.skip(f"the shared sample video is absent ({REAL})")
    path = _cut(REAL, tmp_path / "dusk.mp4")

    for reason in _reasons(path):
        assert "cut short" in reason, reason


def test_whole_and_random_files_are_not_cut_short(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "whole.mp4", 3)
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, dtype=np.uint8).tobytes())

    assert movie_cut_short(whole) is None
    assert movie_cut_short(noise) is None
    assert all("cut short" not in reason for reason in _reasons(noise))
    if REAL.is_file():
        assert movie_cut_short(shutil.copy(REAL, tmp_path / "real.mp4")) is None
