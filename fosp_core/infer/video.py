"""Video files: frame reading with per-frame error reporting, and the overlay MP4 writer.

OpenCV's VideoCapture (FFmpeg backend) is used for both. A frame that fails to decode is reported
as a :class:`~fosp_core.infer.stream.Frame` with `error` set and skipped; reading goes on with the
next frame, and stops after `max_consecutive_failures` failures in a row (a truncated file), where
the frames the header announced but that never came are reported once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import cv2
import numpy as np

from fosp_core.infer.stream import Frame
from fosp_core.io.atomic import file_mode, replace_file
from fosp_core.io.media_sniff import has_no_video_stream, movie_cut_short, not_a_video, quiet_video_logs
from fosp_core.video.decoders import OPENCV_SEEK_BACKOFF
from fosp_core.video.errors import VideoReadError  # raised here, importable here as before
from fosp_core.video.extensions import VIDEO_EXTENSIONS, is_video_file  # noqa: F401 - importable here as before
from fosp_core.video.stream_index import StreamIndex

if TYPE_CHECKING:
    from fosp_core.video.meta import FrameReader

#: Strides up to this long are always decoded in order: OpenCV's seek alone decodes
#: OPENCV_SEEK_BACKOFF frames or more before its target.
SEEK_MIN_STEP = OPENCV_SEEK_BACKOFF + 1
SEEK_CACHE_BYTES = 32 * 1024 * 1024  # the seeking reader's frame cache (each frame is read once)


class VideoWriteError(Exception):
    """The overlay video cannot be written."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot write video {self.path}: {reason}")


@dataclass(frozen=True)
class VideoInfo:
    """What the container header says. frame_count is 0 when unknown; fps falls back to 25."""

    path: Path
    width: int
    height: int
    fps: float
    frame_count: int


def _open(path: Path) -> cv2.VideoCapture:
    if not path.is_file():
        raise VideoReadError(path, "no such file" if not path.exists() else "not a file")
    if path.stat().st_size == 0:
        raise VideoReadError(path, "empty file")
    picture = not_a_video(path)  # FFmpeg opens a JPEG renamed .mp4 as a one-frame video
    if picture is not None:
        raise VideoReadError(path, picture)
    with quiet_video_logs():
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        if has_no_video_stream(path):
            raise VideoReadError(path, "the file has no video stream (audio only)")
        raise VideoReadError(path, movie_cut_short(path)
                             or "not a readable video (container or codec not recognised, or file damaged)")
    return cap


def probe_video(path: str | Path) -> VideoInfo:
    """Header information of a video file. Raises VideoReadError when it cannot be opened."""
    path = Path(path)
    cap = _open(path)
    try:
        return _info(cap, path)
    finally:
        cap.release()


def _info(cap: cv2.VideoCapture, path: Path) -> VideoInfo:
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if not np.isfinite(fps) or fps <= 0 or fps > 1000:
        fps = 25.0
    count = int(max(0.0, cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0))
    return VideoInfo(path, int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
                     fps, count)


def frame_name(path: Path, index: int) -> str:
    """Output id of a frame: `<video stem>_f000123`."""
    return f"{path.stem}_f{index:06d}"


def iter_video_frames(path: str | Path, *, max_consecutive_failures: int = 25,
                      start: int = 0, step: int = 1) -> Iterator[Frame]:
    """Every `step`-th frame from `start` as RGB uint8 (H, W, 3), in order.

    A stride longer than the video's usual keyframe interval plus OpenCV's seek back-off
    (:func:`seek_gain_step`) is read by seeking to each wanted frame with the app's exact-seek reader
    (frames numbered by the packet index, so the number written is the frame shown); shorter strides, and
    files without a trusted index or cut short, are decoded frame by frame from the start.

    Frames that fail to decode come as Frame(rgb=None, error=...) and reading goes on. A header that
    promised more frames than could be read (a file cut short) ends with one Frame(error=...) naming
    the missing range from the first frame that could not be read (where the data ends, whatever
    `step`), instead of one failure per frame asked for in it: the failures of a run are told once
    the run ends with a frame read again (damaged frames), or folded into the range.

    Raises:
        VideoReadError: the file cannot be opened or not a single frame decodes (before any frame is
            reported as failed for a run of unreadable frames).
    """
    path = Path(path)
    if step > SEEK_MIN_STEP:
        seeking = _seeking_reader(path, step)
        if seeking is not None:
            yield from _iter_by_seeking(path, seeking, start, step)
            return
    yield from _iter_in_order(path, max_consecutive_failures, start, step)


def _iter_in_order(path: Path, max_consecutive_failures: int, start: int, step: int) -> Iterator[Frame]:
    """Every frame decoded in order, the wanted ones converted (see :func:`iter_video_frames`)."""
    cap = _open(path)
    try:
        info = _info(cap, path)
        index, delivered = 0, 0
        run: list[Frame] = []  # frames asked for in the current run of unreadable ones, not told yet
        run_start: int | None = None  # the first frame of that run
        while True:
            if not cap.grab():
                # Past the announced end (or unknown length): the normal end of the stream.
                if not info.frame_count or index >= info.frame_count:
                    break
                run_start = index if run_start is None else run_start
                if index - run_start >= max_consecutive_failures:
                    if delivered == 0:
                        break  # nothing readable at all: VideoReadError below, no frame told
                    run = []  # the range says it for all of them
                    yield Frame(path, run_start, None, frame_name(path, run_start),
                                f"frames {run_start}-{info.frame_count - 1} could not be read "
                                "(stream ends early or is damaged)")
                    break
                if _wanted(index, start, step):
                    run.append(Frame(path, index, None, frame_name(path, index), "frame could not be decoded"))
                index += 1
                continue
            run_start = None
            yield from run  # damaged frames: a frame is read again after them
            run = []
            if _wanted(index, start, step):
                ok, bgr = cap.retrieve()
                if not ok or bgr is None or bgr.size == 0:
                    yield Frame(path, index, None, frame_name(path, index), "frame could not be decoded")
                else:
                    delivered += 1
                    yield Frame(path, index, _to_rgb(bgr), frame_name(path, index), None)
            index += 1
        if delivered == 0:
            raise VideoReadError(path, "no frame could be decoded")
        yield from run  # the last frames the header counts, unreadable (fewer than a run's limit)
    finally:
        cap.release()


def _seeking_reader(path: Path, step: int) -> FrameReader | None:
    """The app's exact-seek reader of `path` (:class:`fosp_core.video.reader.VideoFileReader`, one decoder)
    when seeking to every `step`-th frame decodes fewer frames than decoding them all: `step` longer than
    the usual keyframe interval plus OpenCV's seek back-off. None (read in order) when the file has no
    trusted packet index, is cut short or damaged in its count (frames_in_file differs from the header's:
    the in-order path reports such files' missing tail), or cannot be opened so."""
    from fosp_core.video.reader import (  # on use: the app's reader and its scan are not needed to read in order
        VideoFileReader,
        VideoOpenError,
        wait_for_index,
    )

    try:
        reader = VideoFileReader(path, cache_bytes=SEEK_CACHE_BYTES, decoders=1)
    except (VideoOpenError, OSError):
        return None
    try:
        wait_for_index(reader)
        index = reader.stream_index()
        if index is None or index.frame_count != reader.meta.frame_count or step <= seek_gain_step(index):
            reader.close()
            return None
    except BaseException:
        reader.close()
        raise
    return reader


def seek_gain_step(index: StreamIndex) -> int:
    """The longest stride at which decoding every frame costs no more than seeking to each wanted one: a
    seek decodes from the keyframe at or before ``target - OPENCV_SEEK_BACKOFF``, about half the usual
    (median) keyframe interval plus the back-off."""
    gaps = np.diff(np.asarray((*index.keyframes, index.frame_count), np.int64))
    return int(np.median(gaps)) + OPENCV_SEEK_BACKOFF


def _iter_by_seeking(path: Path, reader: FrameReader, start: int, step: int) -> Iterator[Frame]:
    """Every `step`-th frame from `start` through the reader's exact seeks (frame numbers from the packet
    index: the frame named is the frame shown). A frame that fails to decode is reported and skipped; the
    failures before the first frame read are held back, and none is told when no frame decodes
    (VideoReadError), as in the in-order path."""
    from fosp_core.video.errors import FrameDecodeError

    delivered = 0
    held: list[Frame] = []
    try:
        for index in range(start, reader.meta.frame_count, step):
            try:
                rgb = np.array(reader.read(index))  # the reader's cached frame is shared: a copy of our own
            except FrameDecodeError as exc:
                failed = Frame(path, index, None, frame_name(path, index), exc.reason or "frame could not be decoded")
                if delivered:
                    yield failed
                else:
                    held.append(failed)
                continue
            delivered += 1
            yield from held
            held = []
            yield Frame(path, index, rgb, frame_name(path, index), None)
        if delivered == 0:
            raise VideoReadError(path, "no frame could be decoded")
    finally:
        reader.close()


def _wanted(index: int, start: int, step: int) -> bool:
    return index >= start and (index - start) % step == 0


def _to_rgb(bgr: np.ndarray) -> np.ndarray:
    if bgr.ndim == 2:
        return np.ascontiguousarray(np.repeat(bgr[:, :, None], 3, axis=2))
    if bgr.shape[2] == 4:
        bgr = bgr[:, :, :3]
    if bgr.dtype != np.uint8:
        bgr = (bgr >> 8).astype(np.uint8) if bgr.dtype == np.uint16 else np.clip(bgr, 0, 255).astype(np.uint8)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def overlay(rgb: np.ndarray, mask: np.ndarray, color: tuple[int, int, int] = (255, 32, 32),
            alpha: float = 0.45, contour: bool = True) -> np.ndarray:
    """RGB uint8 (H, W, 3) with the smoke mask (uint8/bool (H, W), nonzero = smoke) tinted in `color`
    (RGB) and outlined. Returns a new array."""
    out = rgb.copy()
    m = mask.astype(bool)
    if m.any():
        tint = np.asarray(color, np.float32)
        out[m] = np.clip(out[m].astype(np.float32) * (1 - alpha) + tint * alpha, 0, 255).astype(np.uint8)
        if contour:
            contours, _ = cv2.findContours(m.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            thickness = max(1, round(max(rgb.shape[:2]) / 400))
            cv2.drawContours(out, contours, -1, color, thickness)
    return out


class OverlayVideoWriter:
    """Writes RGB frames to an MP4 (MPEG-4 Part 2, 'mp4v', available in every OpenCV wheel) atomically:
    frames go to a temporary file next to the target, renamed over it by `close()` after success;
    `abort()` (or leaving a `with` block by an exception) removes the temporary file, so a failed run
    never leaves a partial video behind.
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int], fourcc: str = "mp4v") -> None:
        """size: (width, height) of every frame."""
        self.path = Path(path)
        self.size = (int(size[0]), int(size[1]))
        self.frames = 0
        suffix = self.path.suffix or ".mp4"
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=f".partial{suffix}",
                                       dir=self.path.parent)
        except OSError as exc:
            raise VideoWriteError(self.path, exc.strerror or str(exc)) from exc
        os.close(fd)
        self._tmp = Path(tmp)
        self._writer = cv2.VideoWriter(str(self._tmp), cv2.VideoWriter_fourcc(*fourcc), float(fps), self.size)
        if not self._writer.isOpened():
            self._tmp.unlink(missing_ok=True)
            raise VideoWriteError(self.path, f"OpenCV cannot encode {fourcc!r} into {suffix}")

    def write(self, rgb: np.ndarray) -> None:
        """Append one RGB uint8 frame; resized to the writer's size if it differs."""
        if (rgb.shape[1], rgb.shape[0]) != self.size:
            rgb = cv2.resize(rgb, self.size, interpolation=cv2.INTER_AREA)
        self._writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        self.frames += 1

    def close(self) -> Path:
        """Finish the file and move it into place. Raises VideoWriteError when nothing was written."""
        self._writer.release()
        if self.frames == 0 or not self._tmp.is_file() or self._tmp.stat().st_size == 0:
            self._tmp.unlink(missing_ok=True)
            raise VideoWriteError(self.path, "no frame was written")
        with contextlib.suppress(OSError):
            os.chmod(self._tmp, file_mode())  # the umask's mode, as every output (mkstemp gives 0600)
        try:
            replace_file(self._tmp, self.path)  # Windows: a player holding the old file is waited for, then said
        except BaseException:
            with contextlib.suppress(OSError):
                self._tmp.unlink(missing_ok=True)  # no half-named copy of the whole video left beside it
            raise
        return self.path

    def abort(self) -> None:
        self._writer.release()
        with contextlib.suppress(OSError):
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> OverlayVideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
