"""Small synthetic clips for tests and benchmarks, written with OpenCV (no data files needed).

Frame ``i`` shows a sky gradient with a grey "plume" disc whose radius grows with ``i`` and the frame
number encoded in the top-left block's brightness, so a test can tell which frame it got.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

__all__ = ["clip_frame", "corrupt_mjpeg_frames", "upscale_video", "write_clip"]


def clip_frame(index: int, size: tuple[int, int] = (160, 120)) -> np.ndarray:
    """RGB uint8 (H, W, 3) frame `index` of the synthetic clip; size is (width, height)."""
    width, height = size
    rows = np.linspace(90, 200, height, dtype=np.float32)[:, None]
    rgb = np.empty((height, width, 3), np.uint8)
    rgb[..., 0] = rows.astype(np.uint8)
    rgb[..., 1] = (rows + 20).astype(np.uint8)
    rgb[..., 2] = 230
    radius = max(2, int(min(width, height) * (0.1 + 0.02 * (index % 20))))
    cv2.circle(rgb, (width // 2, height // 2), radius, (150, 150, 150), -1)
    rgb[:16, :16] = (index * 7) % 256
    return rgb


def write_clip(path: str | Path, frames: int = 24, size: tuple[int, int] = (160, 120), fps: float = 12.0,
               fourcc: str = "mp4v") -> Path:
    """Write `frames` synthetic frames to `path` ('mp4v' MP4 or 'MJPG' AVI); returns the path."""
    path = Path(path)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), float(fps), size)
    if not writer.isOpened():
        raise OSError(f"OpenCV cannot write {fourcc!r} to {path}")
    try:
        for i in range(frames):
            writer.write(cv2.cvtColor(clip_frame(i, size), cv2.COLOR_RGB2BGR))
    finally:
        writer.release()
    return path


def corrupt_mjpeg_frames(path: str | Path, frames: list[int], out: str | Path) -> Path:
    """Copy an MJPG AVI to `out` with the JPEG headers of `frames` zeroed (they fail to decode)."""
    data = bytearray(Path(path).read_bytes())
    starts = [i for i in range(len(data) - 2) if data[i] == 0xFF and data[i + 1] == 0xD8 and data[i + 2] == 0xFF]
    for frame in frames:
        start = starts[frame]
        end = starts[frame + 1] - 16 if frame + 1 < len(starts) else len(data) - 64
        data[start:end] = bytes(end - start)  # the whole JPEG: no decoder can make a frame of it
    Path(out).write_bytes(bytes(data))
    return Path(out)


def upscale_video(src: str | Path, dst: str | Path, size: tuple[int, int] = (1920, 1080),
                  frames: int | None = None, fourcc: str = "mp4v") -> Path:
    """Re-encode `src` at `size` (width, height) into `dst` (e.g. a 1080p benchmark clip)."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    writer = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    count = 0
    try:
        while frames is None or count < frames:
            ok, bgr = cap.read()
            if not ok:
                break
            writer.write(cv2.resize(bgr, size, interpolation=cv2.INTER_CUBIC))
            count += 1
    finally:
        cap.release()
        writer.release()
    return Path(dst)
