"""The format of a video's ``video.json`` (its fields: :mod:`fosp_core.video.timeline`'s module doc): the
record written (:func:`state_record`) and the checks of one read (:func:`checked_state`: a named error with
the path and the field; :func:`unknown_keys`: what a newer version wrote, kept)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fosp_core.video.errors import VideoAnnotationError

__all__ = ["FORMAT", "FORMAT_VERSION", "NUMBERING", "checked_state", "state_record", "unknown_keys"]

FORMAT = "fosp-video"
FORMAT_VERSION = 1
#: the frame numbering masks are saved under: display order from the packet index (fosp_core.video.reader)
NUMBERING = "display-order-v1"
_KNOWN_KEYS = ("format", "version", "video", "frame_count", "keyframes", "edited", "frame_numbering",
               "frames_to_check")


def checked_state(path: Path, data: Any) -> dict[str, Any]:
    """`data`, read from the ``video.json`` at `path`, once checked: raises VideoAnnotationError naming `path`
    and the field (not this format, a newer version, marks that are not lists of frame numbers, a numbering
    that is not a string)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise VideoAnnotationError(path, "not a fosp-video annotation file (field 'format')")
    if int(data.get("version", 0)) > FORMAT_VERSION:
        raise VideoAnnotationError(path, f"written by a newer version (field 'version' = {data['version']})")
    for key in ("keyframes", "edited", "frames_to_check"):
        values = data.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, int) for v in values):
            raise VideoAnnotationError(path, f"field {key!r} must be a list of frame numbers")
    numbering = data.get("frame_numbering")
    if numbering is not None and not isinstance(numbering, str):
        raise VideoAnnotationError(path, "field 'frame_numbering' must be a string")
    return data


def unknown_keys(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a checked ``video.json`` this version does not know (kept and written back)."""
    return {k: v for k, v in data.items() if k not in _KNOWN_KEYS}


def state_record(video: Path, frame_count: int, keyframes: Iterable[int], edited: Iterable[int],
                 frames_to_check: Iterable[int], extra: dict[str, Any]) -> dict[str, Any]:
    """What ``video.json`` holds: the marks sorted, saved under today's :data:`NUMBERING`, the `extra` fields
    kept, ``frames_to_check`` only when there are some."""
    data: dict[str, Any] = {
        "format": FORMAT, "version": FORMAT_VERSION, "video": str(video), "frame_count": frame_count,
        "keyframes": sorted(keyframes), "edited": sorted(edited), "frame_numbering": NUMBERING, **extra}
    to_check = sorted(frames_to_check)
    if to_check:
        data["frames_to_check"] = to_check
    return data
