"""An H.264 video with a damaged packet in the middle (a NAL length FFmpeg's bitstream filter refuses: a bad
sector, a broken download) lost every frame after it: the packet scan (`fosp_core.video.stream_index`, OpenCV's
raw mode) stopped at the first failed grab, so the index held the frames before the damage only and the reader
refused the rest as "the file's data ends after frame N (the file is cut short)", of a whole file (the HPWREN
clip damaged at a third of its bytes: 36 of its 156 frames read; PyAV decodes 150). The scan now reads on
past a few failed grabs and puts the lost packets' frames back in display order at a constant frame rate
(numbering stays exact); at a variable rate, where that cannot be told, the index ends at the damage, as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video import index_cache
from fosp_core.video.reader import FrameDecodeError, open_video, wait_for_index
from fosp_core.video.stream_index import _with_lost_frames, scan_stream

av = pytest.importorskip("av")

FRAMES, WIDTH, HEIGHT = 40, 160, 128


def _frame(index: int) -> np.ndarray:
    """A picture that tells its number: a bright bar at a column of its own."""
    rgb = np.full((HEIGHT, WIDTH, 3), 60, np.uint8)
    rgb[:, 3 * index: 3 * index + 6] = 250
    return rgb


def _damaged_h264(path: Path, damaged: list[int]) -> Path:
    """An H.264 MP4 of FRAMES frames (a keyframe every 10) whose packets `damaged` (decode order) have a
    NAL length no decoder accepts."""
    try:
        out = av.open(str(path), "w")
        stream = out.add_stream("libx264", rate=12)
    except Exception as exc:  # noqa: BLE001 - an FFmpeg build without libx264
        pytest.skip(f"PyAV cannot encode H.264 here: {exc}")
    stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    stream.codec_context.gop_size = 10
    stream.codec_context.options = {"bf": "0", "sc_threshold": "0"}
    for i in range(FRAMES):
        for packet in stream.encode(av.VideoFrame.from_ndarray(_frame(i), format="rgb24")):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    with av.open(str(path)) as source:
        where = [p.pos for p in source.demux(video=0) if p.size]
    data = bytearray(path.read_bytes())
    for n in damaged:
        data[where[n]:where[n] + 4] = b"\x55\x55\x55\x55"
    path.write_bytes(bytes(data))
    return path


def test_the_frames_after_a_damaged_packet_are_read_and_numbered_right(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no index saved by an earlier run
    index_cache.clear()
    clip = _damaged_h264(tmp_path / "damaged.mp4", damaged=[14, 15])
    index = scan_stream(clip, whole_count=FRAMES)
    assert index is not None and index.frame_count == FRAMES  # was 14: the scan stopped at the damage
    assert index.keyframes == (0, 10, 20, 30)
    reader = open_video(clip)
    try:
        wait_for_index(reader)
        assert reader.frames_in_file == FRAMES
        read = {}
        for i in range(FRAMES):
            try:
                read[i] = reader.read(i)
            except FrameDecodeError:
                pass
        assert set(range(20, FRAMES)) <= set(read)  # was: "the file's data ends after frame 13"
        assert set(range(14)) <= set(read)
        for i, rgb in read.items():  # each number names its own picture (14-19 decode from damage: garbled)
            if 14 <= i < 20:
                continue
            bar = np.flatnonzero(rgb[HEIGHT // 2, :, 0] > 150)
            assert abs(float(bar.mean()) - (3 * i + 2.5)) < 1.5, i
    finally:
        reader.close()
        index_cache.clear()


def test_lost_frames_are_put_back_only_at_a_constant_rate() -> None:
    steady = [(0.0, True), (100.0, False), (400.0, False), (500.0, False)]
    assert sorted(ms for ms, _ in _with_lost_frames(steady)) == [0.0, 100.0, 200.0, 300.0, 400.0, 500.0]
    assert _with_lost_frames([(0.0, True), (100.0, False), (250.0, False)]) is None  # a variable rate
