"""Masks saved under another frame numbering, told to the user, never moved.

Since 2026-12-06 a video's frame number is its display order from the packet index
(:mod:`fosp_core.video.reader`). Before, until the packet scan was done (the first moments after opening), a
constant-rate file was numbered by time × fps; masks are saved by frame number only
(``masks/<stem>_<frame:06d>.png``), so two kinds of old saves may now name another picture:

* moved: in a file with dropped frames (a gap in its packet times), a mask saved on a frame after the gap
  may have been saved under time × fps; the frames whose index time differs from ``i / fps`` (by more than
  half a frame) are the ones where the two numberings disagree;
* past the end: a file cut short reads fewer frames now (64 → 7); masks on frames past its readable end stay
  on disk but cannot be reached.

:func:`check_numbering` finds both from what is in memory (the index's times, the mask folder's listing made
when the annotations were read): no file is read, nothing is deleted or moved. The moved frames are checked only
for annotations saved without a ``frame_numbering`` stamp; they are recorded in the annotations
(``frames_to_check``, written with the stamp on the next save) so that they are told again on later opens until
each is saved again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fosp_core.video.meta import FrameReader
from fosp_core.video.stream_index import StreamIndex
from fosp_core.video.timeline import NUMBERING, VideoAnnotations

__all__ = ["NumberingReport", "check_numbering", "check_reader", "frames_text", "readable_count"]

#: frame numbers listed before "and N more"
LISTED = 5
NUMBERING_CHANGED = "2026-12-06"


@dataclass(frozen=True)
class NumberingReport:
    """What :func:`check_numbering` found: `moved` frames (may lie on another picture), frames `past_end`
    (at or past `readable`, the file's readable frame count), their `mask_folder`."""

    moved: tuple[int, ...]
    past_end: tuple[int, ...]
    readable: int
    mask_folder: Path

    def __bool__(self) -> bool:
        return bool(self.moved or self.past_end)

    def lines(self) -> list[str]:
        """One sentence per kind found, for the user (empty when nothing was found)."""
        out = []
        if self.moved:
            out.append(f"{_masks(self.moved)} saved before {NUMBERING_CHANGED} under another frame numbering: "
                       f"may lie on a different picture; check them")
        if self.past_end:
            out.append(f"{_masks(self.past_end)} past the file's readable end (it has {self.readable} frames now): "
                       f"kept on disk at {self.mask_folder}")
        return out


def frames_text(frames: Sequence[int], listed: int = LISTED) -> str:
    """``frames 12, 15, 20`` or ``frames 12, 15, 20, 31, 40 … (9 in all)`` for more than `listed`."""
    shown = ", ".join(str(f) for f in frames[:listed])
    word = "frame" if len(frames) == 1 else "frames"
    return f"{word} {shown}" + (f" … ({len(frames)} in all)" if len(frames) > listed else "")


def _masks(frames: Sequence[int]) -> str:
    return f"{len(frames)} mask{'s' if len(frames) != 1 else ''} ({frames_text(frames)})"


def check_numbering(notes: VideoAnnotations, index: StreamIndex | None, fps: float,
                    readable: int) -> NumberingReport:
    """The saved masks of `notes` that may lie on another picture or past the readable end (module doc).

    index: the reader's packet index (None: the file is numbered by time × fps for good, as before);
    fps: the nominal rate; readable: how many frames the reader reads now. Unstamped annotations get the
    moved frames added to ``notes.frames_to_check`` (in memory; saved with the stamp on the next save)."""
    masks = sorted(notes.mask_files)
    past_end = tuple(f for f in masks if f >= readable)
    moved = set(notes.frames_to_check)
    if notes.saved_numbering != NUMBERING and index is not None and fps > 0:
        step = 1000.0 / fps
        times = index.times_ms
        moved |= {f for f in masks if f < min(readable, len(times))
                  and abs(times[f] - times[0] - f * step) > 0.5 * step}
        notes.frames_to_check |= moved
    return NumberingReport(tuple(sorted(f for f in moved if f in notes.mask_files and f < readable)),
                           past_end, readable, notes.mask_folder)


def readable_count(reader: FrameReader) -> int:
    """How many frames `reader` reads: ``meta.frame_count``, or fewer for a file cut short once its index is in
    (``frames_in_file``: its header still counts the frames it lost). The count a video's annotations,
    timeline and predictions use once it is indexed."""
    count = reader.meta.frame_count
    in_file = getattr(reader, "frames_in_file", None)
    return min(count, in_file) if in_file else count


def check_reader(notes: VideoAnnotations, reader: FrameReader) -> NumberingReport:
    """:func:`check_numbering` for the annotations of an open reader whose index is in (a file reader's
    ``stream_index()`` and ``frames_in_file``, fewer than ``meta.frame_count`` in a file cut short; an image
    sequence has neither)."""
    index = getattr(reader, "stream_index", lambda: None)()
    return check_numbering(notes, index, reader.meta.fps, readable_count(reader))
