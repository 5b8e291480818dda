"""What a file named like a video really is, from its first bytes and its container's boxes, and
OpenCV/FFmpeg kept quiet while videos are opened (we say what went wrong in our own words).

* :func:`not_a_video` - "not a video: photo.mp4 is a JPEG image" for a picture renamed ``.mp4``
  (FFmpeg opens a JPEG as a one-frame video), and likewise for an empty file and a text file named like a
  video (:func:`describe_text`: a Git LFS pointer whose video was never downloaded, an HTML error page
  saved by a failed download, JSON, XML, any other text);
* :func:`has_no_video_stream` - an MP4/MOV whose tracks hold no video (audio only);
* :func:`movie_cut_short` - an MP4/MOV cut short before its index (an unfinished copy or recording);
* :func:`quiet_video_logs` - OpenCV's warnings (``[ WARN:0@...] global cap.cpp:212 ...``) and FFmpeg's
  (``moov atom not found``) off stderr while a capture opens.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import cv2

from fosp_core.io.iso_boxes import Box, Stop, read_boxes

__all__ = ["describe_text", "has_no_video_stream", "movie_cut_short", "not_a_video", "quiet_video_logs",
           "size_text"]

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


#: Bytes read from the start of a file to tell what it is (an HTML page's title is within them).
HEAD_BYTES = 4096


def not_a_video(path: str | Path) -> str | None:
    """"not a video: <name> is a JPEG image" (PNG, GIF, BMP, TIFF, WebP), "... is empty (0 bytes)",
    "... is a Git LFS pointer ..." or another text (see :func:`describe_text`) when `path` starts as
    one of them does, else None (unreadable files too: opening them says why)."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None
    name = Path(path).name
    if not head:
        return f"not a video: {name} is empty (0 bytes)"
    for magic, at, kind in _IMAGES:
        if head[at:at + len(magic)] == magic and (magic != b"BM" or len(head) >= 14):
            return f"not a video: {name} is {kind}"
    text = describe_text(head, whole=len(head) < HEAD_BYTES)
    return f"not a video: {name} is {text}" if text is not None else None


# C0 control characters no text holds (tab, newlines, form feed and ESC of coloured logs are allowed)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_LFS = "version https://git-lfs.github.com/spec/"
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def describe_text(head: bytes, whole: bool = True, what: str = "video") -> str | None:
    """What the first bytes of a file are when they are text (UTF-8 or ASCII, no control characters but
    tab, newlines, form feed and ESC), as words for "<name> is ...", else None (every video container
    starts with binary bytes).

    whole: `head` is the whole file; False: it is cut at a read limit, so a character cut in two at its
    end is not a sign of binary. A Git LFS pointer says that the video (`what`) was not downloaded (and
    its size); an HTML page gives its title; JSON, XML and other text their first line.
    """
    if head.startswith(b"YUV4MPEG2"):  # a raw video whose header is text
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if whole or exc.reason != "unexpected end of data":
            return None
        text = head[:exc.start].decode("utf-8")
    text = text.removeprefix("\ufeff")
    if not text.strip() or _CONTROL.search(text):
        return None
    start = text.lstrip()
    lower = start[:512].lower()
    if start.startswith(_LFS):
        size = re.search(r"^size (\d+)\s*$", start, re.MULTILINE)
        of = f" ({size_text(int(size.group(1)))})" if size else ""
        return (f"a Git LFS pointer: the {what}{of} was not downloaded, only the small text file that stands "
                "for it (`git lfs pull` in its repository fetches it)")
    if lower.startswith(("<!doctype html", "<html")) or ("<html" in lower and lower.startswith("<")):
        title = _TITLE.search(start)
        named = f' ("{_shorten(title.group(1))}")' if title and _shorten(title.group(1)) else ""
        return f"an HTML page{named}: a web page saved under the {what}'s name (a failed download?)"
    if lower.startswith("<?xml"):  # its first line is the declaration: what follows says more
        kind, start = "an XML file", start.split("?>", 1)[-1]
    elif lower.startswith(("{", "[")):
        kind = "a JSON file"
    else:
        kind = "a text file"
    return f'{kind} beginning "{_shorten(start)}"'


def _shorten(text: str, limit: int = 60) -> str:
    """The first line of `text` that holds something, its spaces collapsed, cut at `limit` characters."""
    line = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def size_text(size: int) -> str:
    """"41.2 MB", "900 bytes": a file size in decimal units."""
    if size < 1000:
        return f"{size} bytes"
    value, unit = size / 1000, "KB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


def has_no_video_stream(path: str | Path) -> bool:
    """True for an MP4/MOV whose movie box lists tracks and none of them is video (an audio-only .mp4);
    False when it has one or this cannot tell (another container, no movie box, a track cut short)."""
    try:
        with open(path, "rb") as f:
            moov = read_boxes(f, 0, os.fstat(f.fileno()).st_size).first(b"moov")
            if moov is None:
                return False
            handlers = [_handler(f, trak) for trak in read_boxes(f, moov.content, moov.end).of(b"trak")]
    except OSError:
        return False
    named = [h for h in handlers if h is not None]
    return bool(named) and b"vide" not in named


def movie_cut_short(path: str | Path) -> str | None:
    """Why an MP4/MOV (its first box ``ftyp``) cannot open, when it ends inside a box and has no movie box
    (moov: the index of its frames, which OpenCV, FFmpeg and most cameras write last): an unfinished copy
    or download, a recording stopped before it was closed. None for anything else (a whole file, another
    container, one whose index came first: it opens and reads up to the cut)."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            boxes = read_boxes(f, 0, size)
    except OSError:
        return None
    if not boxes.boxes or boxes.boxes[0].kind != b"ftyp" or boxes.first(b"moov") is not None:
        return None
    if boxes.stop not in (Stop.OVERRUN, Stop.CUT):
        return None
    claimed = max((b.declared_end or 0) for b in boxes)
    return (f"not a readable video: the file is cut short (it ends at {size_text(size)}"
            + (f" of the {size_text(claimed)} its boxes announce" if claimed > size else "")
            + ") and its index (the moov box, written last) is missing: an unfinished copy or download, or a "
            "recording stopped before it was closed; copy it again from where it came from")


def _handler(f: BinaryIO, trak: Box) -> bytes | None:
    """The handler type of a track (b"vide", b"soun", ...), found in trak/mdia/hdlr after the full box's
    version, flags and pre_defined; None when the track has none or the file ends before it does."""
    mdia = read_boxes(f, trak.content, trak.end).first(b"mdia")
    hdlr = read_boxes(f, mdia.content, mdia.end).first(b"hdlr") if mdia is not None else None
    if hdlr is None or hdlr.content_size < 12:
        return None
    f.seek(hdlr.content + 8)
    handler = f.read(4)
    return handler if len(handler) == 4 else None


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
