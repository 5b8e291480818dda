"""Random-access frame readers for video files and image-sequence folders.

Both readers share one interface (:class:`FrameReader`): ``meta`` (size, fps, frame count, duration,
warnings) and ``read(index)`` returning RGB uint8 (H, W, 3). Decoded frames are kept in a small LRU
cache bounded in bytes, so scrubbing back and forth over a few frames never decodes twice.

Seeking in a compressed video is keyframe-aware: moving forward by up to ``forward_window`` frames
decodes sequentially from the current position (cheap: no return to the previous keyframe);
anything else sets ``CAP_PROP_POS_FRAMES``, which makes FFmpeg seek to the keyframe before the
target and decode forward to it.

Bad input: a missing, empty or undecodable file (unsupported codec, not a video) raises
:class:`VideoOpenError` with a sentence for the user; a frame that fails to decode raises
:class:`FrameDecodeError` for that frame only - the reader stays usable. A variable-frame-rate file
opens with a warning in ``meta.warnings`` (frames are addressed by decode order, times are nominal).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from fosp_core.infer.video import VIDEO_EXTENSIONS, VideoReadError
from fosp_core.io.images import ImageReadError, list_images, read_image

__all__ = ["FrameDecodeError", "FrameReader", "ImageSequenceReader", "VideoFileReader", "VideoMeta",
           "VideoOpenError", "detect_variable_rate", "is_video_path", "open_video"]

DEFAULT_CACHE_BYTES = 192 * 1024 * 1024
DEFAULT_FORWARD_WINDOW = 24
SEQUENCE_FPS = 25.0
_VFR_PROBE_FRAMES = 48


class VideoOpenError(VideoReadError):
    """The video (or image sequence) cannot be opened at all; ``reason`` is user-facing."""


class FrameDecodeError(Exception):
    """One frame could not be decoded; the reader stays usable for the others."""

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"frame {index}: {reason}")


@dataclass(frozen=True)
class VideoMeta:
    """What is known about an opened video.

    path: the file (or the image-sequence folder); width, height: frame size in pixels;
    fps: nominal frames per second (> 0); frame_count: frames addressable by ``read`` (> 0);
    variable_fps: the container's timestamps are irregular (times shown are nominal);
    warnings: user-facing remarks made while opening (variable rate, count corrected, ...).
    """

    path: Path
    width: int
    height: int
    fps: float
    frame_count: int
    variable_fps: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration(self) -> float:
        """Nominal duration in seconds (frame_count / fps)."""
        return self.frame_count / self.fps

    @property
    def stem(self) -> str:
        """Name used in frame ids (``<stem>_<frame:06d>``)."""
        return self.path.stem if self.path.suffix else self.path.name

    def time_of(self, index: int) -> float:
        """Nominal time in seconds of frame `index`."""
        return index / self.fps


class FrameReader(Protocol):
    """A random-access source of RGB frames."""

    meta: VideoMeta

    def read(self, index: int) -> np.ndarray:
        """Frame `index` as RGB uint8 (H, W, 3); raises FrameDecodeError or IndexError."""
        ...

    def close(self) -> None:
        """Release the file handle (reading afterwards raises)."""
        ...


def is_video_path(path: str | Path) -> bool:
    """True for a file whose extension is a video container we open (.mp4, .avi, .mkv, .mov, ...)."""
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def open_video(path: str | Path, *, cache_bytes: int = DEFAULT_CACHE_BYTES) -> FrameReader:
    """A reader for a video file or an image-sequence folder; raises VideoOpenError."""
    path = Path(path).expanduser()
    if path.is_dir():
        return ImageSequenceReader(path, cache_bytes=cache_bytes)
    return VideoFileReader(path, cache_bytes=cache_bytes)


def detect_variable_rate(timestamps_ms: list[float], fps: float, tolerance: float = 0.25) -> bool:
    """Whether frame timestamps (ms, decode order) stray from a constant 1000/fps spacing.

    More than 10 % of the intervals off by more than `tolerance` (relative) counts as variable.
    """
    if len(timestamps_ms) < 3 or fps <= 0:
        return False
    steps = np.diff(np.asarray(timestamps_ms, np.float64))
    nominal = 1000.0 / fps
    off = np.abs(steps - nominal) > tolerance * nominal
    return bool(np.count_nonzero(off) > max(1, 0.1 * len(steps)))


class _FrameCache:
    """LRU of decoded frames bounded in bytes (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, index: int) -> np.ndarray | None:
        with self._lock:
            frame = self._frames.get(index)
            if frame is not None:
                self._frames.move_to_end(index)
            return frame

    def put(self, index: int, frame: np.ndarray) -> None:
        if frame.nbytes > self.max_bytes:
            return
        with self._lock:
            old = self._frames.pop(index, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._frames[index] = frame
            self._bytes += frame.nbytes
            while self._bytes > self.max_bytes and self._frames:
                _, dropped = self._frames.popitem(last=False)
                self._bytes -= dropped.nbytes

    def __len__(self) -> int:
        return len(self._frames)


def _to_rgb(bgr: np.ndarray) -> np.ndarray:
    if bgr.ndim == 2:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
    elif bgr.shape[2] == 4:
        bgr = bgr[:, :, :3]
    if bgr.dtype != np.uint8:
        bgr = np.clip(bgr, 0, 255).astype(np.uint8)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


class VideoFileReader:
    """Frames of a video file through OpenCV/FFmpeg (see module doc). Thread-safe (one lock)."""

    def __init__(self, path: str | Path, *, cache_bytes: int = DEFAULT_CACHE_BYTES,
                 forward_window: int = DEFAULT_FORWARD_WINDOW) -> None:
        self.path = Path(path)
        self.forward_window = forward_window
        self.cache = _FrameCache(cache_bytes)
        self.stats = {"decoded": 0, "seeks": 0, "hits": 0}
        self._lock = threading.Lock()
        self._cap = self._open_capture()
        try:
            self.meta = self._probe()
        except BaseException:
            self._cap.release()
            raise
        self._next = 0  # index of the frame the capture decodes next

    def _open_capture(self) -> cv2.VideoCapture:
        path = self.path
        if not path.exists():
            raise VideoOpenError(path, "no such file")
        if not path.is_file():
            raise VideoOpenError(path, "not a file")
        if path.stat().st_size == 0:
            raise VideoOpenError(path, "the file is empty (zero length)")
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
        if not cap.isOpened():
            cap.release()
            raise VideoOpenError(path, "not a readable video: the container or codec is not supported, "
                                       "or the file is damaged")
        return cap

    def _probe(self) -> VideoMeta:
        cap, warnings = self._cap, []
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not np.isfinite(fps) or fps <= 0 or fps > 1000:
            warnings.append("the file states no usable frame rate; 25 fps assumed")
            fps = 25.0
        count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
        stamps: list[float] = []
        first: np.ndarray | None = None
        decoded = 0
        limit = _VFR_PROBE_FRAMES if count > 0 else 1 << 30  # unknown length: count the frames
        while decoded < limit and cap.grab():
            stamps.append(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
            if first is None:
                ok, bgr = cap.retrieve()
                if ok and bgr is not None and bgr.size:
                    first = _to_rgb(bgr)
            decoded += 1
        if first is None:
            raise VideoOpenError(self.path, "no frame could be decoded (zero-length stream or unsupported codec)")
        if count <= 0:
            warnings.append(f"the file states no frame count; counted {decoded} frames")
            count = decoded
        variable = detect_variable_rate(stamps, fps)
        if variable:
            warnings.append("variable frame rate: frames are shown in decode order at the average rate; "
                            "times are approximate")
        self.cache.put(0, first)
        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
        height, width = first.shape[:2]
        return VideoMeta(self.path, width, height, fps, count, variable, tuple(warnings))

    def read(self, index: int) -> np.ndarray:
        """Frame `index` as RGB uint8 (H, W, 3) (a shared cached array: do not modify it)."""
        if not 0 <= index < self.meta.frame_count:
            raise IndexError(f"frame {index} outside 0..{self.meta.frame_count - 1}")
        frame = self.cache.get(index)
        if frame is not None:
            self.stats["hits"] += 1
            return frame
        with self._lock:
            frame = self.cache.get(index)
            if frame is not None:
                return frame
            return self._decode(index)

    def _decode(self, index: int) -> np.ndarray:
        if self._cap is None:
            raise FrameDecodeError(index, "the video was closed")
        sequential = self._next <= index <= self._next + self.forward_window
        if not sequential:
            self._seek(index)
        try:
            return self._decode_forward(index)
        except FrameDecodeError:
            if sequential:
                raise
            # FFmpeg's seek decodes from a point before the target and gives up at a damaged frame on
            # the way; walk there from further back (each damaged frame is then skipped on its own).
            self._seek(max(0, index - 4 * self.forward_window))
            return self._decode_forward(index)

    def _seek(self, index: int) -> None:
        self._cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        self.stats["seeks"] += 1
        self._next = index

    def _decode_forward(self, index: int) -> np.ndarray:
        cap = self._cap
        while self._next < index:  # decode forward, keeping the frames passed over (likely next)
            ok = cap.grab()
            self._next += 1
            if ok and len(self.cache) < 8:
                ok, bgr = cap.retrieve()
                if ok and bgr is not None:
                    self.cache.put(self._next - 1, _to_rgb(bgr))
        ok = cap.grab()
        self._next = index + 1
        bgr = cap.retrieve()[1] if ok else None
        self.stats["decoded"] += 1
        if bgr is None or bgr.size == 0:
            raise FrameDecodeError(index, "the frame could not be decoded (damaged or missing data)")
        rgb = _to_rgb(bgr)
        if rgb.shape[:2] != (self.meta.height, self.meta.width):
            rgb = cv2.resize(rgb, (self.meta.width, self.meta.height), interpolation=cv2.INTER_AREA)
        self.cache.put(index, rgb)
        return rgb

    def close(self) -> None:
        with self._lock:
            if self._cap is not None:
                self._cap.release()
                self._cap = None  # type: ignore[assignment]


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
        self.cache = _FrameCache(cache_bytes)
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
