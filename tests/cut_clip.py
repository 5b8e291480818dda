"""A video file cut short, for tests: the synthetic clip (``fosp_core.video.testclip.clip_frame``, frame
number in the top-left block) as H.264 with its index first ('faststart', as cameras and web downloads
have it, so a cut-short copy still opens), and the cut. Writing needs PyAV (the dev extra)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.video.testclip import clip_frame

FRAMES = 60


def write_h264_clip(path: Path, frames: int = FRAMES) -> Path:
    """Write the clip to `path` (12 fps, a keyframe every 12 frames); skips the test without PyAV/libx264.

    One encoder thread: x264's output depends on its thread count, by default the machine's CPU count
    (13 907 bytes with 1 thread, 15 208 with 2, 15 512 with 3), so a cut at a fraction of the bytes fell
    in another frame group on another machine (or another CPU affinity) and a test read other frames."""
    av = pytest.importorskip("av", reason="PyAV (the dev extra) is needed to write an H.264 file")
    if "libx264" not in av.codecs_available:
        pytest.skip("this PyAV has no libx264 encoder")
    with av.open(str(path), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height = 160, 120
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = 12
        stream.codec_context.options = {"threads": "1"}
        for i in range(frames):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(clip_frame(i), format="rgb24")))
        container.mux(stream.encode(None))
    return path


def cut(src: Path, dst: Path, fraction: float) -> Path:
    """The first `fraction` of `src`'s bytes, written to `dst`."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst
