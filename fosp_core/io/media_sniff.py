"""What a file named like a video really is, from its first bytes and its container's boxes, and
OpenCV/FFmpeg kept quiet while videos are opened (we say what went wrong in our own words).

* :func:`not_a_video` - "not a video: photo.mp4 is a JPEG image" for a picture renamed ``.mp4``
  (FFmpeg opens a JPEG as a one-frame video);
* :func:`has_no_video_stream` - an MP4/MOV whose tracks hold no video (audio only);
* :func:`quiet_video_logs` - OpenCV's warnings (``[ WARN:0@...] global cap.cpp:212 ...``) and FFmpeg's
  (``moov atom not found``) off stderr while a capture opens.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import cv2

__all__ = ["has_no_video_stream", "not_a_video", "quiet_video_logs"]

# FFmpeg inside OpenCV reads this once, when the first capture opens: quiet unless a developer set it.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

_IMAGES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"BM", 0, "a BMP image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"WEBP", 8, "a WebP image"),
)


def not_a_video(path: str | Path) -> str | None:
    """"not a video: <name> is a JPEG image" (PNG, GIF, BMP, TIFF, WebP) when `path` starts as an image
    does, else None (unreadable files too: opening them says why)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return None
    for magic, at, kind in _IMAGES:
        if head[at:at + len(magic)] == magic and (magic != b"BM" or len(head) >= 14):
            return f"not a video: {Path(path).name} is {kind}"
    return None


def has_no_video_stream(path: str | Path) -> bool:
    """True for an MP4/MOV whose movie box lists tracks and none of them is video (an audio-only .mp4);
    False when it has one or this cannot tell (another container, no movie box)."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            moov = _find_box(f, 0, size, b"moov")
            if moov is None:
                return False
            handlers = []
            for trak in _boxes(f, *moov, b"trak"):
                mdia = next(iter(_boxes(f, *trak, b"mdia")), None)
                hdlr = next(iter(_boxes(f, *mdia, b"hdlr")), None) if mdia is not None else None
                if hdlr is not None:
                    f.seek(hdlr[0] + 8)
                    handlers.append(f.read(4))
    except OSError:
        return False
    return bool(handlers) and b"vide" not in handlers


def _boxes(f: BinaryIO, start: int, end: int, kind: bytes) -> list[tuple[int, int]]:
    """(content start, end) of the boxes of `kind` directly inside start..end."""
    found, offset = [], start
    while offset + 8 <= end:
        f.seek(offset)
        header = f.read(16)
        length, header_size = int.from_bytes(header[:4], "big"), 8
        if length == 1 and len(header) == 16:
            length, header_size = int.from_bytes(header[8:16], "big"), 16
        elif length == 0:
            length = end - offset
        if length < header_size:
            break
        if header[4:8] == kind:
            found.append((offset + header_size, min(end, offset + length)))
        offset += length
    return found


def _find_box(f: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    found = _boxes(f, start, end, kind)
    return found[0] if found else None


@contextlib.contextmanager
def quiet_video_logs() -> Iterator[None]:
    """OpenCV logs errors only meanwhile (its 'backend cannot capture by name' warnings leaked into the
    CLI's stderr beside our own message); FFmpeg's own lines are off through OPENCV_FFMPEG_LOGLEVEL."""
    logging = cv2.utils.logging
    before = logging.getLogLevel()
    logging.setLogLevel(min(before, logging.LOG_LEVEL_ERROR))
    try:
        yield
    finally:
        logging.setLogLevel(before)
