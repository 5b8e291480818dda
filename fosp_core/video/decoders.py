"""Decoders of one video file and the choice of which one reaches a frame with the least work.

A compressed video decodes forward from a keyframe only, so reaching frame ``t`` costs one decode
per frame from where a decoder stands (or from the keyframe a seek lands on) up to ``t``.
:class:`Decoder` wraps one OpenCV capture and knows which frame it decodes next; the reader keeps a
few of them (parked wherever their last read left them) and :func:`plan_read` picks one that can
decode forward to the target, or none (then the least recently used one seeks). Frames passed over
are only ``grab()``-ed (decoded, never converted to RGB).

OpenCV's FFmpeg backend seeks to the keyframe at or before ``t - 16`` (:data:`OPENCV_SEEK_BACKOFF`)
and decodes forward from there, so with a :class:`~fosp_core.video.stream_index.StreamIndex` the cost
of a seek is known in advance, and :meth:`Decoder.seek` checks the landing frame by its presentation
time (exact in variable-frame-rate files, where OpenCV's frame arithmetic is not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from fosp_core.io.media_sniff import quiet_video_logs
from fosp_core.video.stream_index import StreamIndex

__all__ = ["OPENCV_SEEK_BACKOFF", "Decoder", "FrameAt", "open_capture", "plan_read", "seek_landing"]

FrameAt = Callable[[float], "int | None"]
"""The frame shown at a presentation time in ms (OpenCV's ``CAP_PROP_POS_MSEC``), None when unknown."""

OPENCV_SEEK_BACKOFF = 16
_SEEK_TRIES = 4


def open_capture(path: Path) -> cv2.VideoCapture | None:
    """An opened OpenCV/FFmpeg capture of `path`, or None when it does not open."""
    with quiet_video_logs():
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if cap.isOpened():
        return cap
    cap.release()
    return None


class Decoder:
    """One capture. `next`: the frame its next ``grab()`` decodes; `held`: the frame grabbed last and
    not passed yet (its pixels can still be retrieved), None when the last grab failed."""

    def __init__(self, cap: cv2.VideoCapture) -> None:
        self.cap = cap
        self.next = 0
        self.held: int | None = None
        self.last_used = 0
        self._delivered = -1  # the last frame a grab delivered since the capture stood at `next` by a seek

    @property
    def reach(self) -> int:
        """The first frame this decoder can deliver without seeking."""
        return self.held if self.held is not None else self.next

    def grab(self, frame_at: FrameAt | None = None, *, strict: bool = False) -> bool:
        """Decode frame `next` (no colour conversion); False when none came (a damaged frame, the end).

        A failed grab counts as one frame passed, as a damaged frame in the middle of a file is. FFmpeg
        does not always keep that count: the last frames before the end of a file cut short come one
        call late, after a failed grab, and frames decoded after a gap in the data may skip some. With
        `frame_at` a frame is identified by its presentation time instead (a time before the frame
        delivered last, timestamps starting over, is not believed: the count stands). `strict` (the
        times are those of the packet index): a frame `frame_at` cannot place, or places at or before
        the frame delivered last, is not held at all - the count would give it another frame's number.
        """
        ok = bool(self.cap.grab())
        landed = frame_at(float(self.cap.get(cv2.CAP_PROP_POS_MSEC))) if ok and frame_at is not None else None
        if landed is not None and landed > self._delivered:
            self.held, self.next = landed, landed + 1
        elif ok and strict and frame_at is not None:
            self.held = None
            self.next += 1
        else:
            self.held = self.next if ok else None
            self.next += 1
        if self.held is not None:
            self._delivered = self.held
        return ok

    def retrieve(self) -> np.ndarray | None:
        """BGR pixels of the held frame (None if it cannot be converted)."""
        ok, bgr = self.cap.retrieve()
        return bgr if ok and bgr is not None and bgr.size else None

    def seek(self, target: int, index: StreamIndex | None) -> int:
        """Stand at or before `target` (``reach <= target``). Returns the seeks made.

        Without an index OpenCV's frame count is trusted (``next = target``). With one, the first
        frame after the seek is grabbed and identified by its time; a landing past the target is
        corrected by seeking earlier.
        """
        x = target
        for attempt in range(1, _SEEK_TRIES + 1):
            self.cap.set(cv2.CAP_PROP_POS_FRAMES, x)
            self.next, self.held, self._delivered = x, None, -1
            if index is None or not self.grab():  # a damaged frame: OpenCV's count is all there is
                return attempt
            landed = index.index_at_time(float(self.cap.get(cv2.CAP_PROP_POS_MSEC)))
            if landed is None:  # a frame the index has no number for: not one to deliver
                self.held, self._delivered = None, -1
                return attempt
            self.next, self.held, self._delivered = landed + 1, landed, landed
            if landed <= target:
                return attempt
            if x == 0:
                break
            x = max(0, x - (landed - target))
        self.cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
        self.next, self.held, self._delivered = 0, None, -1
        return _SEEK_TRIES + 1

    def release(self) -> None:
        self.cap.release()


def seek_landing(target: int, index: StreamIndex | None) -> int | None:
    """The frame OpenCV's seek to `target` starts decoding from, None when unknown (no index)."""
    if index is None:
        return None
    return index.keyframe_at_or_before(max(0, target - OPENCV_SEEK_BACKOFF))


def plan_read(target: int, reaches: Sequence[int], landing: int | None, window: int) -> int | None:
    """Which decoder decodes forward to `target` (its position in `reaches`), or None to seek.

    reaches: each decoder's first frame without seeking; landing: where a seek would start decoding
    (:func:`seek_landing`); window: without a landing, how far forward decoding is preferred.
    The decoder closest before the target wins if it has no more frames to decode than a seek.
    """
    best: int | None = None
    for slot, reach in enumerate(reaches):
        if reach <= target and (best is None or reach > reaches[best]):
            best = slot
    if best is None:
        return None
    if landing is None:
        return best if target - reaches[best] <= window else None
    return best if reaches[best] >= landing else None
