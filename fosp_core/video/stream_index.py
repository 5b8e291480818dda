"""What a video's packets say without decoding them: where the keyframes are and when each frame is
shown.

:func:`scan_stream` reads the file with OpenCV's FFmpeg backend in raw mode (``CAP_PROP_FORMAT``
= -1: packets are demuxed, nothing is decoded, about 0.1 ms a packet) and returns a
:class:`StreamIndex`. The video reader uses it to choose between decoding forward and seeking, and to
check where a seek really landed: OpenCV seeks by frame number computed as time × fps, which misses
the frame in a variable-frame-rate file.

Frame ``i`` is the ``i``-th packet time in display order, which holds only while no frame shown earlier
is missing. A file cut short lost the packets after some point in *decode* order, and with B-frames
these include frames shown before packets that are still there (cut after P39 of ``P35 B33 B34 P39
B37 B36 B38``: frames 36-38 are gone, 39 is not, and would be counted as frame 36). The frames whose
number is in doubt are dropped from the index (see :func:`_index_of`).
"""

from __future__ import annotations

import bisect
import itertools
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2

from fosp_core.io.iso_boxes import Stop, read_boxes
from fosp_core.io.media_sniff import quiet_video_logs

__all__ = ["StreamIndex", "container_is_whole", "scan_stream"]

# MP4/MOV: how the top-level walk's end answers "does the file hold every byte its boxes promise?"
_WHOLE: dict[Stop, bool | None] = {
    Stop.END: True,
    Stop.OVERRUN: False,  # the last box runs past the end of the file: cut short
    Stop.CUT: False,  # the file ends inside a box header
    Stop.OPEN: None,  # the last box runs to the end of the file, whatever that is (a live recording)
    Stop.BAD_SIZE: None,  # a size smaller than its header: not boxes, nothing to tell
}
#: Failed grabs in a row read as the stream's end; fewer, followed by a packet, as damaged packets skipped.
_GRAB_RETRIES = 8


@dataclass(frozen=True)
class StreamIndex:
    """Keyframes and presentation times of one video stream, in display order.

    keyframes: indices of the frames a decoder can start from (ascending, the first is 0);
    times_ms: presentation time of every frame in milliseconds (strictly increasing).
    """

    keyframes: tuple[int, ...]
    times_ms: tuple[float, ...]

    @property
    def frame_count(self) -> int:
        return len(self.times_ms)

    def keyframe_at_or_before(self, index: int) -> int:
        """The last keyframe at or before frame `index` (0 for an index before the first)."""
        position = bisect.bisect_right(self.keyframes, index) - 1
        return self.keyframes[position] if position >= 0 else 0

    def index_at_time(self, ms: float) -> int | None:
        """The frame shown at `ms` (within a quarter of the gap to its neighbours), else None."""
        times = self.times_ms
        position = bisect.bisect_left(times, ms)
        best = None
        for candidate in (position - 1, position):
            if 0 <= candidate < len(times) and (best is None or abs(times[candidate] - ms) < abs(times[best] - ms)):
                best = candidate
        if best is None:
            return None
        gaps = [times[i + 1] - times[i] for i in (best - 1, best) if 0 <= i < len(times) - 1]
        tolerance = 0.25 * min(gaps) if gaps else 1.0
        return best if abs(times[best] - ms) < max(tolerance, 1e-3) else None


def scan_stream(path: str | Path, *, stop: threading.Event | None = None,
                whole_count: int | None = None, progress: Callable[[int], None] | None = None) -> StreamIndex | None:
    """Index of the video stream of `path`, or None when the packets do not tell (raw mode not
    supported, missing or repeated timestamps, no keyframe) or `stop` was set meanwhile.

    whole_count: how many frames the whole file has (the container's count); with that many packets
    the file is whole and its last frames are all kept, else they are checked (:func:`_index_of`).
    progress: called with the number of packets read so far, every 256 packets."""
    with quiet_video_logs():
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
    try:
        if not cap.isOpened() or cap.get(cv2.CAP_PROP_FORMAT) != -1:
            return None
        packets: list[tuple[float, bool]] = []
        lost = failed = 0  # packets lost inside the stream (a damaged one fails its grab, the next ones read)
        before_loss = 0  # the packets read before the first loss
        while failed <= _GRAB_RETRIES:
            if not cap.grab():
                failed += 1
                continue
            if failed and not lost:
                before_loss = len(packets)
            lost, failed = lost + failed, 0
            if stop is not None and stop.is_set():
                return None
            packets.append((float(cap.get(cv2.CAP_PROP_POS_MSEC)),
                            bool(cap.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME))))
            if progress is not None and not len(packets) % 256:
                progress(len(packets))
    finally:
        cap.release()
    if lost:  # at a variable rate, the frames before the loss (as scans before session 37 ended there)
        packets = _with_lost_frames(packets) or packets[:before_loss]
    whole = (whole_count is not None and len(packets) == whole_count) or container_is_whole(path) is True
    return _index_of(packets, whole=whole)


def _with_lost_frames(packets: list[tuple[float, bool]]) -> list[tuple[float, bool]] | None:
    """`packets` with the frames of packets lost inside the stream put back in display order, or None when
    that cannot be told. A damaged packet (a NAL size FFmpeg's bitstream filter refuses) fails its grab in
    raw mode, and the packets after it read again; its presentation time is then unknown, and numbering the
    frames by the times left would number every later frame one too low. At a constant frame rate a lost
    frame leaves a step of k usual steps: k - 1 frames (not keyframes) are put in it. Steps that are no whole
    number of the usual one (a variable frame rate) tell nothing: None."""
    times = sorted(ms for ms, _ in packets)
    steps = [b - a for a, b in itertools.pairwise(times)]
    if not steps or min(steps) <= 0:
        return None
    usual = min(steps)
    added: list[tuple[float, bool]] = []
    for start, step in zip(times, steps, strict=False):
        count = round(step / usual)
        if abs(step - count * usual) > 0.02 * usual * count:
            return None
        added.extend((start + k * step / count, False) for k in range(1, count))
    return packets + added


def container_is_whole(path: str | Path) -> bool | None:
    """Whether the file holds every byte its container's top-level sizes promise: False for a file cut
    short, True for a whole one, None when the container is not one this checks (MP4/MOV boxes, the
    Matroska/WebM segment) or its sizes are left open (a live recording)."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            head = f.read(64)
            if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
                return _WHOLE[read_boxes(f, 0, size).stop]
            if head[:4] == b"\x1a\x45\xdf\xa3":
                return _segment_ends_at(head, size)
    except OSError:
        return None
    return None


def _vint(data: bytes, at: int) -> tuple[int, int] | None:
    """An EBML variable-length integer at `at`: (value, its length), value -1 for 'unknown'."""
    if at >= len(data) or data[at] == 0:
        return None
    width = 8 - data[at].bit_length() + 1
    if at + width > len(data):
        return None
    value = int.from_bytes(data[at:at + width], "big") & ((1 << (7 * width)) - 1)
    return (-1 if value == (1 << (7 * width)) - 1 else value), width


def _segment_ends_at(head: bytes, size: int) -> bool | None:
    """Matroska/WebM: the file holds the EBML header and the whole Segment its size announces."""
    header = _vint(head, 4)
    if header is None or header[0] < 0:
        return None
    at = 4 + header[1] + header[0]
    if head[at:at + 4] != b"\x18\x53\x80\x67":
        return None
    segment = _vint(head, at + 4)
    if segment is None or segment[0] < 0:
        return None
    return at + 4 + segment[1] + segment[0] <= size


def _index_of(packets: list[tuple[float, bool]], *, whole: bool = False) -> StreamIndex | None:
    """(presentation ms, is keyframe) per packet in decode order -> the index in display order.

    Unless the file is known `whole`, its packets may end early (a file cut short), and the last frames
    in display order may then have lost frames shown before them: the frames numbered from `settled`
    on are kept only while the step to each is one seen before (:func:`_settled`)."""
    if not packets:
        return None
    times = sorted(ms for ms, _ in packets)
    if any(b <= a for a, b in itertools.pairwise(times)):
        return None  # repeated (or missing, read as 0) timestamps: display order is unknown
    rank = {ms: i for i, ms in enumerate(times)}
    if not whole:
        times = times[: _settled(times, [rank[ms] for ms, _ in packets])]
    keyframes = sorted(rank[ms] for ms, key in packets if key and rank[ms] < len(times))
    if not keyframes:
        return None
    if keyframes[0] != 0:
        keyframes.insert(0, 0)  # frames before the first keyframe come from a seek to the start
    return StreamIndex(tuple(keyframes), tuple(times))


def _settled(times: list[float], ranks: list[int]) -> int:
    """How many frames (display order) have a certain number when the packets may stop early.

    ranks: each packet's display rank, in decode order. A decoder shows frames at most `depth` packets
    after it read them (depth: the largest decode position minus display rank seen, 2 for x264's
    B-pyramid), so packets lost after the last one read are shown at rank ``n - depth`` or later and
    the ranks before that are all here. Each later frame is kept only while the step to it is no longer
    than the longest step among those ranks (a lost frame leaves a step about twice the usual one in a
    constant-rate file). Steps that differ (a variable frame rate) tell nothing: a lost frame leaves a
    step like another, and no frame from ``n - depth`` on is kept (a VFR .mkv cut at 0.7 of its bytes
    numbered the picture at 1680 ms, frame 27, as frame 26, whose packet was lost).
    """
    count = len(ranks)
    depth = max((position - r for position, r in enumerate(ranks)), default=0)
    settled = max(0, count - max(0, depth))
    if settled < 2:
        return count  # too few frames to tell a usual step: as before
    steps = [b - a for a, b in itertools.pairwise(times[:settled])]
    limit = 1.01 * max(steps)
    if limit > 1.02 * min(steps):
        return settled
    while settled < count and times[settled] - times[settled - 1] <= limit:
        settled += 1
    return settled
