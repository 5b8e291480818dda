"""Labels left behind by a video renamed or moved after it was labelled.

A video's annotations live in a folder named after the video (`fosp_core.video.timeline.own_folder`:
``.fosp/video-<stem>/`` beside it) and its masks are named after its stem: a video renamed, or moved
to another folder without its ``.fosp/``, opens with no labels at all, the old ones still on disk. An
opening that finds no labels of its own asks `left_behind_words` whether such a folder is about: one
whose ``video.json`` names a video that is no longer there, of the same frame count and frame size,
holding masks or keyframes - beside the new annotation folder (a rename in place) or under the
annotation folders of `remembered` videos gone since (a move: the app passes the videos it resumed).
Nothing is moved or adopted: the words say where the labels are and how to see them again.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LeftBehind", "find_left_behind", "left_behind_words"]

STATE_FILE = "video.json"  # as fosp_core.video.state_saves (not imported: that module pulls in the savers)
_PNG_SIZE = struct.Struct(">II")  # width, height in the IHDR chunk, at byte 16 of a PNG


@dataclass(frozen=True)
class LeftBehind:
    """An annotation folder (`folder`) of a video no longer at `video`, with `masks` mask files and
    `keyframes` keyframe marks."""

    folder: Path
    video: Path
    masks: int
    keyframes: int


def _png_shape(path: Path) -> tuple[int, int] | None:
    """(height, width) from a PNG's header, None when it is no PNG (16 + 8 bytes read)."""
    try:
        with path.open("rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(b"\x89PNG"):
        return None
    width, height = _PNG_SIZE.unpack(head[16:24])
    return height, width


def _read(folder: Path, frame_count: int, shape: tuple[int, int], exclude: Path) -> LeftBehind | None:
    """`folder` as a `LeftBehind` when it is one (see module doc), else None."""
    if folder == exclude:
        return None
    try:
        data = json.loads((folder / STATE_FILE).read_bytes())  # bytes: a byte order mark read past
        video = Path(data["video"])
        saved_count = int(data.get("frame_count", frame_count))
        keyframes = len(data.get("keyframes", []))
        if saved_count != frame_count or video.exists():
            return None  # before its masks are listed: most siblings are folders of videos still there
        masks = sorted((folder / "masks").glob("*.png")) if (folder / "masks").is_dir() else []
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):  # RecursionError: nested too deep
        return None
    if not (masks or keyframes):
        return None
    if masks and _png_shape(masks[0]) not in (shape, None):
        return None
    return LeftBehind(folder, video, len(masks), keyframes)


def find_left_behind(folder: Path, frame_count: int, shape: tuple[int, int],
                     remembered: Iterable[Path] = ()) -> list[LeftBehind]:
    """The annotation folders that may be those of the video whose own (empty) annotation folder is `folder`,
    with `frame_count` frames of `shape` (height, width): its siblings, and `remembered` annotation folders
    (module doc); each once, in that order."""
    candidates: list[Path] = []
    try:
        candidates += sorted(p for p in folder.parent.iterdir() if p.is_dir() and p.name.startswith("video"))
    except OSError:
        pass
    candidates += [Path(p) for p in remembered]
    found: list[LeftBehind] = []
    seen: set[Path] = set()
    for candidate in candidates:
        key = candidate.absolute()
        if key in seen:
            continue
        seen.add(key)
        if (hit := _read(candidate, frame_count, shape, folder)) is not None:
            found.append(hit)
    return found


def left_behind_words(video: Path, found: list[LeftBehind]) -> list[str]:
    """What to tell the user who opened `video` with no labels about the labels `found` (none: no words)."""
    words = []
    for hit in found[:2]:
        what = ", ".join(part for part in (f"{hit.masks} labelled frame(s)" if hit.masks else "",
                                           f"{hit.keyframes} keyframe(s)" if hit.keyframes else "") if part)
        if hit.video.name != video.name:
            how = f"rename it back to {hit.video.name}"
        else:
            how = f"move it back to {hit.video.parent}"
        words.append(f"no labels of {video.name} here, but {hit.folder} holds {what} of {hit.video}, which is no "
                     f"longer there: if this is that video (renamed or moved), {how} to see them")
    if len(found) > 2:
        words.append(f"{len(found) - 2} more such folder(s) of videos gone")
    return words
