"""A video file cut short (a recording that stopped, a download that broke off): every frame the reader
delivers is the frame asked for, whatever the order of the reads; the frames that are gone fail."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.reader import FrameDecodeError, VideoFileReader, open_video
from fosp_core.video.stream_index import _index_of, container_is_whole
from tests.cut_clip import FRAMES, write_h264_clip
from tests.cut_clip import cut as _cut
from tests.vfr_clip import FRAMES as VFR_FRAMES
from tests.vfr_clip import marker_of, write_vfr_clip


@pytest.fixture(scope="module")
def h264_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic clip as H.264 with its index first, so a cut-short copy still opens."""
    return write_h264_clip(tmp_path_factory.mktemp("clip") / "clip.mp4")


def _marker(rgb: np.ndarray) -> int:
    return int(round(float(rgb[2:14, 2:14].mean())))


def _reads(path: Path, order: list[int], *, index_first: bool = False, **kwargs: int) -> dict[int, np.ndarray | None]:
    """The frames read in `order` (None: failed); index_first: only once the packet scan is done (else the
    reads race the background scan, as the app's do)."""
    reader = open_video(path, **kwargs)
    out: dict[int, np.ndarray | None] = {}
    try:
        if index_first:
            assert isinstance(reader, VideoFileReader) and reader.stream_index(wait=10.0) is not None
        for i in order:
            try:
                out[i] = reader.read(i).copy()
            except (FrameDecodeError, IndexError):  # IndexError: past a count corrected from the packets
                out[i] = None
    finally:
        reader.close()
    return out


@pytest.mark.parametrize("fraction", [0.5, 0.7])
@pytest.mark.parametrize("index_first", [False, True])
def test_frames_of_a_cut_short_file_are_the_frames_asked_for(h264_clip: Path, tmp_path: Path,
                                                             fraction: float, index_first: bool) -> None:
    """FFmpeg gives the last frames before the cut one call late (a failed grab that consumed no frame):
    counted by grabs, frame 24 got frame 23's pixels, 25 frame 24's, and so on. Cut at 0.7, once the
    packet scan was done, frame 36 was frame 39's picture: the packets of 36-38 (B-frames, stored after
    39) were lost, and the scan numbered the packet times it found in display order."""
    cut = _cut(h264_clip, tmp_path / "cut.mp4", fraction)
    for order in (list(range(FRAMES)), list(range(FRAMES - 1, -1, -3)), [40, 5, 30, 22, 23, 24, 25, 26]):
        for kwargs in ({}, {"cache_bytes": 0, "decoders": 1}):  # the display's reader, the export's
            frames = _reads(cut, order, index_first=index_first, **kwargs)
            wrong = {i: _marker(rgb) for i, rgb in frames.items()
                     if rgb is not None and abs(_marker(rgb) - (i * 7) % 256) > 3}
            assert wrong == {}, f"frames read {order[:6]}...: frame -> marker of another frame"
            assert any(rgb is not None for rgb in frames.values())


def _packets(frames: list[int]) -> list[tuple[float, bool]]:
    """(presentation ms, keyframe) of `frames` at 12 fps, in the order given (decode order)."""
    return [(i * 1000 / 12, i % 12 == 0) for i in frames]


# an encoder's order with B-frames: each P-frame is stored before the two B-frames shown before it
_DECODE_ORDER = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11, 15, 13, 14, 18, 16, 17, 21, 19, 20, 23, 22]


def test_the_index_of_packets_cut_among_b_frames_numbers_no_frame_wrongly() -> None:
    """Cut after frame 23's packet: 22, shown before 23 but stored after it, is lost. Numbering the packet
    times in display order made 23's time frame 22's, and the reader gave 23's picture for frame 22."""
    index = _index_of(_packets(_DECODE_ORDER[:-1]))
    assert index is not None
    for i in range(index.frame_count):  # every frame the index numbers is the frame shown at its time
        assert index.index_at_time(i * 1000 / 12) == i
    assert index.frame_count == 22  # frames 0-21; 23's picture has no number
    assert index.index_at_time(23 * 1000 / 12) is None


def test_the_index_of_a_whole_file_keeps_its_last_frames() -> None:
    """The check drops no frame of a file known whole (as many packets as the container counts), nor of
    one whose last steps are regular."""
    assert _index_of(_packets(_DECODE_ORDER)).frame_count == 24  # type: ignore[union-attr]
    assert _index_of(_packets(_DECODE_ORDER[:-1]), whole=True).frame_count == 23  # type: ignore[union-attr]


def test_the_last_frame_before_the_cut_is_read(h264_clip: Path, tmp_path: Path) -> None:
    cut = _cut(h264_clip, tmp_path / "cut.mp4", 0.5)
    frames = _reads(cut, list(range(FRAMES)))
    last = max(i for i, rgb in frames.items() if rgb is not None)
    assert all(frames[i] is not None for i in range(last + 1))  # every frame before the cut
    assert all(frames[i] is None for i in range(last + 1, FRAMES))


def test_cut_short_real_clip(shared_data: Path, tmp_path: Path) -> None:
    """The HPWREN clip cut in half: 64 of its 156 frames are left. Frame 64 was frame 63's picture, and a
    fresh reader's frame 100 (what an export reads) was frame 63's too."""
    src = shared_data / "videos" / "hpwren-los-pinos-2019-10-06.mp4"
    cut = _cut(src, tmp_path / "cut.mp4", 0.5)
    full = open_video(src, cache_bytes=0, decoders=1)
    try:
        for order in ([100, 64, 63], list(range(56, 72)), [155, 5, 60]):
            for i, rgb in _reads(cut, order, cache_bytes=0, decoders=1).items():
                if rgb is not None:
                    assert np.abs(rgb.astype(np.int16) - full.read(i)).mean() < 1.0, f"frame {i}"
                else:
                    assert i >= 64, f"frame {i} is in the file but failed"
    finally:
        full.close()


def test_frames_past_the_cut_fail_at_once_and_say_why(h264_clip: Path, tmp_path: Path) -> None:
    """Frames the file has no data for (its header still counts them) were each sought and decoded up to
    the end of the data, then reported as 'damaged or missing data'; a whole-video run decoded the last
    GOP again for every one of them."""
    cut = _cut(h264_clip, tmp_path / "cut.mp4", 0.5)
    reader = open_video(cut)
    try:
        assert reader.meta.frame_count == FRAMES  # the header's count: the file is known cut short only later
        index = reader.stream_index(wait=10.0)
        assert index is not None and index.frame_count < FRAMES
        last = index.frame_count - 1
        assert reader.frames_in_file == index.frame_count
        grabs = reader.stats["grabs"]
        for frame in (FRAMES - 1, last + 1):
            with pytest.raises(FrameDecodeError) as caught:
                reader.read(frame)
            assert f"ends after frame {last}" in caught.value.reason and "cut short" in caught.value.reason
        assert reader.stats["grabs"] == grabs  # nothing decoded for them
    finally:
        reader.close()


def test_a_whole_file_has_all_its_frames(h264_clip: Path) -> None:
    reader = open_video(h264_clip)
    try:
        reader.stream_index(wait=10.0)
        assert reader.frames_in_file == FRAMES
        assert _marker(reader.read(FRAMES - 1)) == ((FRAMES - 1) * 7) % 256
    finally:
        reader.close()


@pytest.fixture(scope="module")
def vfr_mkv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The variable-frame-rate clip (tests/vfr_clip.py, one encoder thread) as Matroska: no frame count in
    its header (OpenCV estimates 64 from duration x fps), B-frames stored after the frame shown after them."""
    pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write a variable-frame-rate video")
    path = tmp_path_factory.mktemp("vfr") / "vfr.mkv"
    write_vfr_clip(path)
    return path


@pytest.mark.parametrize("fraction", [0.3, 0.7])
@pytest.mark.parametrize("index_first", [False, True])
def test_frames_of_a_cut_short_variable_rate_file_are_the_frames_asked_for(vfr_mkv: Path, tmp_path: Path,
                                                                           fraction: float, index_first: bool) -> None:
    """Cut at 0.3 the decoded frames disagreed with the packet index (the decoder gave one more picture,
    frame 9's, than the index could number) and the index was dropped: frames were counted as decoded and
    frame 8 was frame 9's picture. Cut at 0.7 the index numbered the picture at 1680 ms (frame 27) as
    frame 26, whose B-frame packet was lost with the cut (its steps vary, so the regular-step check let it
    through)."""
    cut = _cut(vfr_mkv, tmp_path / "cut.mkv", fraction)
    for order in (list(range(VFR_FRAMES)), list(range(VFR_FRAMES - 1, -1, -3))):
        frames = _reads(cut, order, index_first=index_first, cache_bytes=0, decoders=1)
        wrong = {i: marker_of(rgb) for i, rgb in frames.items()
                 if rgb is not None and abs(marker_of(rgb) - (i * 7) % 256) > 3}
        assert wrong == {}, f"frames read {order[:6]}...: frame -> marker of another frame"
        assert any(rgb is not None for rgb in frames.values())


def test_the_container_tells_a_whole_file_from_one_cut_short(vfr_mkv: Path, h264_clip: Path, tmp_path: Path) -> None:
    """The index keeps a file's last frames only when it is known whole: a Matroska file has no frame
    count to compare the packets with, but its segment's size (and an MP4's box sizes) tell."""
    assert container_is_whole(vfr_mkv) is True and container_is_whole(h264_clip) is True
    assert container_is_whole(_cut(vfr_mkv, tmp_path / "cut.mkv", 0.95)) is False
    assert container_is_whole(_cut(h264_clip, tmp_path / "cut.mp4", 0.95)) is False
    assert container_is_whole(tmp_path / "cut.mkv") is False
    (tmp_path / "text.mp4").write_bytes(b"not a video at all")
    assert container_is_whole(tmp_path / "text.mp4") is None
