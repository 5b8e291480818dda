"""The images of a folder (sorted by name) as the frames of a video: the image-sequence reader that
:func:`fosp_core.video.reader.open_video` gives for a folder (same interface as the video file's,
:class:`~fosp_core.video.meta.FrameReader`)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.io.images import ImageReadError, list_images, read_image
from fosp_core.video.errors import FrameDecodeError, VideoOpenError
from fosp_core.video.frame_cache import DEFAULT_CACHE_BYTES, FrameCache
from fosp_core.video.meta import VideoMeta

__all__ = ["SEQUENCE_FPS", "ImageSequenceReader"]

SEQUENCE_FPS = 25.0


class ImageSequenceReader:
    """The images of a folder (sorted by name) as the frames of a video at `fps`."""

    def __init__(self, folder: str | Path, *, fps: float = SEQUENCE_FPS,
                 cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        folder = Path(folder)
        if not folder.is_dir():
            raise VideoOpenError(folder, "no such folder")
        self.paths = list_images(folder)
        if not self.paths:
            raise VideoOpenError(folder, "the folder contains no image files")
        self.cache = FrameCache(cache_bytes)
        first: np.ndarray | None = None
        for path in self.paths[:8]:
            try:
                first = read_image(path).rgb
                break
            except ImageReadError:
                continue
        if first is None:
            raise VideoOpenError(folder, "none of the first images could be decoded")
        height, width = first.shape[:2]
        self.meta = VideoMeta(folder, width, height, float(fps), len(self.paths))

    def time_of(self, index: int) -> float:
        """index / fps: an image sequence has no times of its own."""
        return self.meta.time_of(index)

    def read(self, index: int) -> np.ndarray:
        """Image `index` as RGB uint8 (H, W, 3), resized to the first image's size if it differs."""
        if not 0 <= index < self.meta.frame_count:
            raise IndexError(f"frame {index} outside 0..{self.meta.frame_count - 1}")
        frame = self.cache.get(index)
        if frame is not None:
            return frame
        try:
            rgb = read_image(self.paths[index]).rgb
        except ImageReadError as exc:
            raise FrameDecodeError(index, f"{self.paths[index].name}: {exc.reason}") from exc
        if rgb.shape[:2] != (self.meta.height, self.meta.width):
            rgb = cv2.resize(rgb, (self.meta.width, self.meta.height), interpolation=cv2.INTER_AREA)
        self.cache.put(index, rgb)
        return rgb

    def close(self) -> None:
        """Nothing to release."""
