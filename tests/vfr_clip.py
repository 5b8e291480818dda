"""A real variable-frame-rate video for tests, written with PyAV (the dev extra; never imported at
run time): the synthetic clip (``fosp_core.video.testclip.clip_frame``, frame number in the
top-left block) with irregular presentation times."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from fosp_core.video.testclip import clip_frame

FRAMES = 40
DURATIONS_MS = (40, 40, 120, 80, 40)  # frame i lasts DURATIONS_MS[i % 5]: 25, 12.5 and 8.3 fps mixed


def write_vfr_clip(path: Path, frames: int = FRAMES, size: tuple[int, int] = (160, 120)) -> list[int]:
    """Write `frames` of the synthetic clip to `path` (.mp4, .mkv, .mov) with irregular pts and a
    keyframe every 10 frames; returns the pts written (ms). Needs PyAV (``import av``)."""
    import av

    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    pts, stamps = 0, []
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, 1000)
        stream.codec_context.gop_size = 10  # random access has to seek
        stream.codec_context.options = {"threads": "1"}  # the same bytes on every machine (see cut_clip.py)
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(clip_frame(i, size), format="rgb24")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            stamps.append(pts)
            container.mux(stream.encode(frame))
            pts += DURATIONS_MS[i % len(DURATIONS_MS)]
        container.mux(stream.encode(None))
    return stamps


def marker_of(rgb: np.ndarray) -> int:
    """The frame number's brightness in the top-left block ((i * 7) % 256 for frame i)."""
    return int(round(float(rgb[2:14, 2:14].mean())))
