"""Videos that are no video: ``VIDEOS``, kind -> maker, every one of them unreadable as a video;
`write_video` writes a good one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from tests.odd_inputs.images import H, W, picture, zero_bytes


def write_video(path: Path, frames: int, size: tuple[int, int] = (W, H)) -> Path:
    """An mp4 (mp4v) of `frames` frames of `size` (width, height)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, size)
    for i in range(frames):
        writer.write(np.ascontiguousarray(picture(size[1], size[0], seed=i)[:, :, ::-1]))
    writer.release()
    return path


def _truncated_mp4(folder: Path) -> Path:
    full = write_video(folder / "full.mp4", 10)
    path = folder / "cut.mp4"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    full.unlink()
    return path


def _image_as_mp4(folder: Path) -> Path:
    path = folder / "photo.mp4"
    Image.fromarray(picture()).save(path, "JPEG")
    return path


def _audio_only(folder: Path) -> Path:
    import av

    path = folder / "sound.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=8000)
        stream.layout = "mono"
        samples = np.zeros((1, 1024), np.float32)
        for _ in range(4):
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 8000
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


#: Videos that are no video (a reader must refuse them with a message naming the file).
VIDEOS: dict[str, Callable[[Path], Path]] = {
    "truncated_mp4": _truncated_mp4,
    "zero_byte_mp4": zero_bytes("empty.mp4"),
    "image_as_mp4": _image_as_mp4,
    "audio_only": _audio_only,
}

