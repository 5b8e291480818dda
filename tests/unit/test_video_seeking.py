"""Keyframe-aware seeking: the packet index, the choice between decoding forward and seeking, the
decoders parked for random access, and frames kept when stepping backwards (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.video.decoders import plan_read, seek_landing
from fosp_core.video.reader import VideoFileReader, open_video
from fosp_core.video.stream_index import StreamIndex, scan_stream
from fosp_core.video.testclip import write_clip


@pytest.fixture()
def clip(tmp_path: Path) -> Path:
    """30 frames at 12 fps; OpenCV's mp4v writer puts a keyframe every 12 frames."""
    return write_clip(tmp_path / "clip.mp4", frames=30, fps=12.0)


def _ready(path: Path, **kwargs: int) -> VideoFileReader:
    reader = open_video(path, **kwargs)
    assert isinstance(reader, VideoFileReader)
    assert reader.stream_index(wait=10.0) is not None
    return reader


def test_scan_finds_keyframes_and_times(clip: Path) -> None:
    index = scan_stream(clip)
    assert index is not None
    assert index.keyframes == (0, 12, 24)
    assert index.times_ms == pytest.approx([i * 1000 / 12 for i in range(30)])
    assert [index.keyframe_at_or_before(i) for i in (0, 11, 12, 29)] == [0, 0, 12, 24]
    assert index.index_at_time(1000.0) == 12 and index.index_at_time(1030.0) is None  # between frames


def test_scan_of_a_file_that_is_not_a_video(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(bytes(range(256)) * 8)
    assert scan_stream(junk) is None


def test_plan_prefers_the_cheaper_of_decoding_forward_and_seeking() -> None:
    index = StreamIndex((0, 32, 64), tuple(float(i) for i in range(96)))
    assert seek_landing(40, index) == 0  # OpenCV seeks to the keyframe before 40 - 16
    assert seek_landing(60, index) == 32
    assert plan_read(40, [10], seek_landing(40, index), window=24) == 0  # 30 forward beats 41 from a seek
    assert plan_read(60, [10], seek_landing(60, index), window=24) is None  # seek: 29 frames, not 51
    assert plan_read(60, [10, 50, 70], seek_landing(60, index), window=24) == 1  # the closest before
    assert plan_read(5, [10, 50], 0, window=24) is None  # every decoder is past the target
    assert plan_read(40, [10], None, window=24) is None  # no index yet: forward only within the window
    assert plan_read(30, [10], None, window=24) == 0


def test_forward_decoding_beyond_the_window_when_no_keyframe_is_closer(shared_data: Path) -> None:
    reader = _ready(shared_data / "videos" / "ijmond-blast-furnace-dusk.mp4")  # one keyframe, 36 frames
    reader.read(1)
    seeks = reader.stats["seeks"]
    reader.read(35)  # 34 frames ahead: a seek would decode from frame 0 again
    assert reader.stats["seeks"] == seeks


def test_a_jump_past_a_keyframe_seeks_and_parked_decoders_are_reused(clip: Path) -> None:
    reader = _ready(clip, cache_bytes=0)
    reader.read(2)
    reader.read(28)  # keyframe 12 is closer than frame 3: seek (with a spare decoder)
    assert reader.stats["seeks"] == 1 and len(reader._decoders) == 3
    reader.read(4)  # the first decoder still stands at frame 3
    reader.read(29)  # and another one at 29
    assert reader.stats["seeks"] == 1


def test_stepping_back_keeps_the_frames_before_in_the_cache(clip: Path) -> None:
    reader = _ready(clip)
    reader.read(20)
    reader.read(19)  # one back: a seek, and frames 11..18 are kept on the way
    decoded = reader.stats["decoded"]
    for i in range(18, 10, -1):
        reader.read(i)
    assert reader.stats["decoded"] == decoded


def test_one_decoder_for_reading_in_order(clip: Path) -> None:
    reader = _ready(clip, decoders=1)
    for i in (0, 29, 3):
        reader.read(i)
    assert len(reader._decoders) == 1
    reader.close()
    assert not reader._scanner.is_alive()
