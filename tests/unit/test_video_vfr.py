"""A real variable-frame-rate file (written with PyAV, irregular presentation times): detected and
reported at open, and random access lands on the right frames (no Qt)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fosp_core.video.reader import VideoFileReader, open_video
from tests.vfr_clip import FRAMES, marker_of, write_vfr_clip

pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write a variable-frame-rate video")


@pytest.fixture(scope="module", params=["mp4", "mkv"])
def vfr_clip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """The clip and its pts; the MKV header has no frame count (OpenCV estimates duration × fps)."""
    path = tmp_path_factory.mktemp("vfr") / f"vfr.{request.param}"
    return path, write_vfr_clip(path)


def test_variable_rate_is_detected_and_reported(vfr_clip: tuple[Path, list[int]]) -> None:
    path, _ = vfr_clip
    meta = open_video(path).meta
    assert meta.variable_fps and meta.frame_count == FRAMES  # counted from the packets where needed
    assert any(w.startswith("variable frame rate") and "each frame's own time" in w for w in meta.warnings)
    assert meta.time_of(20) == pytest.approx(20 / meta.fps)  # VideoMeta's time is nominal: average rate


def test_reader_times_are_the_frames_own(vfr_clip: tuple[Path, list[int]]) -> None:
    path, stamps = vfr_clip
    reader = open_video(path)
    try:
        assert reader.stream_index(wait=10.0) is not None
        for index in (0, 1, 7, 20, FRAMES - 1):
            assert reader.time_of(index) == pytest.approx((stamps[index] - stamps[0]) / 1000.0, abs=1e-3)
        assert reader.time_of(20) != pytest.approx(20 / reader.meta.fps, abs=1e-3)
    finally:
        reader.close()


def test_random_access_lands_on_the_right_frames(vfr_clip: tuple[Path, list[int]]) -> None:
    path, stamps = vfr_clip
    sequential = open_video(path, cache_bytes=0, decoders=1)
    assert [abs(marker_of(sequential.read(i)) - (i * 7) % 256) <= 3 for i in range(FRAMES)] == [True] * FRAMES
    jumper = open_video(path, cache_bytes=0)
    assert isinstance(jumper, VideoFileReader)
    index = jumper.stream_index(wait=10.0)
    assert index is not None and index.times_ms == pytest.approx(stamps)  # the real times are known
    order = list(range(FRAMES))
    random.Random(2).shuffle(order)
    for i in order:  # OpenCV alone (frame = time × average fps) misses frames here
        assert abs(marker_of(jumper.read(i)) - (i * 7) % 256) <= 3, i
    assert jumper.stats["seeks"] > 0
