"""A video file cut short (a recording that stopped, a download that broke off): every frame the reader
delivers is the frame asked for, whatever the order of the reads; the frames that are gone fail."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.reader import FrameDecodeError, open_video
from fosp_core.video.testclip import clip_frame

FRAMES = 60


def _cut(src: Path, dst: Path, fraction: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


@pytest.fixture(scope="module")
def h264_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic clip (frame number in the top-left block) as H.264 with its index first
    ('faststart', as cameras and web downloads have it), so a cut-short copy still opens."""
    av = pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write an H.264 file")
    if "libx264" not in av.codecs_available:
        pytest.skip("this PyAV has no libx264 encoder")
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    with av.open(str(path), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height = 160, 120
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = 12
        for i in range(FRAMES):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(clip_frame(i), format="rgb24")))
        container.mux(stream.encode(None))
    return path


def _marker(rgb: np.ndarray) -> int:
    return int(round(float(rgb[2:14, 2:14].mean())))


def _reads(path: Path, order: list[int], **kwargs: int) -> dict[int, np.ndarray | None]:
    reader = open_video(path, **kwargs)
    out: dict[int, np.ndarray | None] = {}
    try:
        for i in order:
            try:
                out[i] = reader.read(i).copy()
            except FrameDecodeError:
                out[i] = None
    finally:
        reader.close()
    return out


@pytest.mark.parametrize("fraction", [0.5, 0.7])
def test_frames_of_a_cut_short_file_are_the_frames_asked_for(h264_clip: Path, tmp_path: Path,
                                                             fraction: float) -> None:
    """FFmpeg gives the last frames before the cut one call late (a failed grab that consumed no frame):
    counted by grabs, frame 24 got frame 23's pixels, 25 frame 24's, and so on."""
    cut = _cut(h264_clip, tmp_path / "cut.mp4", fraction)
    for order in (list(range(FRAMES)), list(range(FRAMES - 1, -1, -3)), [40, 5, 30, 22, 23, 24, 25, 26]):
        for kwargs in ({}, {"cache_bytes": 0, "decoders": 1}):  # the display's reader, the export's
            frames = _reads(cut, order, **kwargs)
            wrong = {i: _marker(rgb) for i, rgb in frames.items()
                     if rgb is not None and abs(_marker(rgb) - (i * 7) % 256) > 3}
            assert wrong == {}, f"frames read {order[:6]}...: frame -> marker of another frame"
            assert any(rgb is not None for rgb in frames.values())


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
