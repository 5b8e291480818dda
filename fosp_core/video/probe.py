"""Opening a video file with OpenCV and probing it (:func:`open_file_capture`, :func:`probe_capture`): what
the file is (refused in words that say what it is when it is none), its frame rate and count, a variable
frame rate from the first frames' timestamps, and its first frame. Used by
:class:`fosp_core.video.reader.VideoFileReader` when it opens; the packet index comes later, from its scan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from fosp_core.io.media_sniff import has_no_video_stream, movie_cut_short, not_a_video
from fosp_core.video.decoders import open_capture
from fosp_core.video.errors import VideoOpenError
from fosp_core.video.meta import VideoMeta, detect_variable_rate

__all__ = ["VFR_PROBE_FRAMES", "Probe", "open_file_capture", "probe_capture", "to_rgb"]

VFR_PROBE_FRAMES = 48  # frames decoded on open to tell a variable frame rate


def to_rgb(bgr: np.ndarray) -> np.ndarray:
    """An OpenCV frame (BGR, BGRA or grey; any depth) as RGB uint8 (H, W, 3)."""
    if bgr.ndim == 2:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
    elif bgr.shape[2] == 4:
        bgr = bgr[:, :, :3]
    if bgr.dtype != np.uint8:
        bgr = np.clip(bgr, 0, 255).astype(np.uint8)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


@dataclass(frozen=True)
class Probe:
    """What opening found: the meta, the first frames' timestamps (ms, decode order), the frame count the
    header states (None: none stated), the first frame (RGB uint8)."""

    meta: VideoMeta
    stamps: list[float]
    header_count: int | None
    first: np.ndarray


def open_file_capture(path: Path) -> cv2.VideoCapture:
    """An OpenCV capture of the video file `path`; VideoOpenError saying what it is when it is none."""
    if not path.exists():
        raise VideoOpenError(path, "no such file")
    if not path.is_file():
        raise VideoOpenError(path, "not a file")
    if path.stat().st_size == 0:
        raise VideoOpenError(path, "the file is empty (zero length)")
    picture = not_a_video(path)  # FFmpeg opens a JPEG renamed .mp4 as a one-frame video
    if picture is not None:
        raise VideoOpenError(path, picture)
    cap = open_capture(path)
    if cap is None:
        if has_no_video_stream(path):
            raise VideoOpenError(path, "the file has no video stream (audio only)")
        raise VideoOpenError(path, movie_cut_short(path) or "not a readable video: the container or codec is "
                                   "not supported, or the file is damaged")
    return cap


def probe_capture(cap: cv2.VideoCapture, path: Path) -> Probe:
    """Probe the just-opened capture `cap` of `path`: up to VFR_PROBE_FRAMES frames decoded (all of them when
    the header states no count), the capture left at frame 0. VideoOpenError when no frame decodes."""
    warnings: list[str] = []
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if not np.isfinite(fps) or fps <= 0 or fps > 1000:
        warnings.append("the file states no usable frame rate; 25 fps assumed")
        fps = 25.0
    count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
    stated = count > 0
    stamps: list[float] = []
    first: np.ndarray | None = None
    decoded = 0
    limit = VFR_PROBE_FRAMES if count > 0 else 1 << 30  # unknown length: count the frames
    while decoded < limit and cap.grab():
        stamps.append(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
        if first is None:
            ok, bgr = cap.retrieve()
            if ok and bgr is not None and bgr.size:
                first = to_rgb(bgr)
        decoded += 1
    if first is None:
        raise VideoOpenError(path, "no frame could be decoded (zero-length stream or unsupported codec)")
    if count <= 0:
        warnings.append(f"the file states no frame count; counted {decoded} frames")
        count = decoded
    variable = detect_variable_rate(stamps, fps)
    if variable:
        warnings.append("variable frame rate: frames play one after another at the average rate; "
                        "the time readout shows each frame's own time")
    cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
    height, width = first.shape[:2]
    meta = VideoMeta(path, width, height, fps, count, variable, tuple(warnings))
    return Probe(meta, stamps, count if stated else None, first)
