"""Random-access frame readers for video files and image-sequence folders (the latter:
:mod:`fosp_core.video.image_sequence`; :func:`open_video` picks one).

Both readers share one interface (:class:`~fosp_core.video.meta.FrameReader`, with
:class:`~fosp_core.video.meta.VideoMeta`): ``meta`` (size, fps, frame count, duration,
warnings) and ``read(index)`` returning RGB uint8 (H, W, 3). Decoded frames are kept in a small LRU
cache bounded in bytes (:class:`~fosp_core.video.frame_cache.FrameCache`), so scrubbing back and
forth over a few frames never decodes twice.

Seeking in a compressed video is keyframe-aware (:mod:`fosp_core.video.decoders`): a background
scan of the packets (:mod:`fosp_core.video.stream_index`, no decoding) finds the keyframes and the
frame times; the reader keeps a few decoders parked where their last reads left them and reaches a
frame by decoding forward from the closest one, or by seeking when the keyframe a seek lands on is
closer. Frames passed over are only grabbed (decoded, not converted); when stepping backwards the
few just before the target are kept in the cache (they are asked for next). Until the scan is done
(and when it cannot tell) forward decoding is used up to ``forward_window`` frames ahead.

Bad input: a missing, empty or undecodable file (unsupported codec, not a video) raises
:class:`VideoOpenError` with a sentence for the user; a frame that fails to decode raises
:class:`FrameDecodeError` for that frame only - the reader stays usable. Decoded frames are told by
their presentation times where these are known (the packet index, or a constant frame rate), not by
counting grabs, which FFmpeg does not keep at the end of a file cut short: every frame read is the
one asked for. A variable-frame-rate file
opens with a warning in ``meta.warnings`` (frames are addressed in display order, times shown are
nominal); seeks in it are checked against the frame times, so ``read(i)`` is the i-th frame.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from fosp_core.video.decoders import Decoder, open_capture, plan_read, seek_landing
from fosp_core.video.errors import FrameDecodeError, VideoOpenError
from fosp_core.video.extensions import VIDEO_EXTENSIONS  # noqa: F401 - importable here as before
from fosp_core.video.extensions import (
    is_video_file as is_video_path,  # a video container's extension (.mp4, ...)
)
from fosp_core.video.frame_cache import DEFAULT_CACHE_BYTES, FrameCache
from fosp_core.video.image_sequence import SEQUENCE_FPS, ImageSequenceReader  # noqa: F401 - importable here as before
from fosp_core.video.index_cache import shared_scan
from fosp_core.video.meta import FrameReader, VideoMeta, detect_variable_rate
from fosp_core.video.probe import open_file_capture, probe_capture
from fosp_core.video.probe import to_rgb as _to_rgb
from fosp_core.video.stream_index import StreamIndex, scan_stream

__all__ = ["FrameDecodeError", "FrameNotIndexedYet", "FrameReader", "ImageSequenceReader", "VideoFileReader",
           "VideoMeta", "VideoOpenError", "detect_variable_rate", "is_video_path", "open_video", "wait_for_index"]

DEFAULT_FORWARD_WINDOW = 24
DEFAULT_DECODERS = 3
BACKWARD_KEEP = 8
_INDEX_WAIT_S = 10.0
_OPEN_WAIT_S = 2.0


INDEX_POLL_S = 0.05  # between checks of a wait for the index: a cancel (or Ctrl+C) is seen this soon


def wait_for_index(reader: FrameReader, wanted: Callable[[], bool] = lambda: True,
                   progress: Callable[[int, int], object] | None = None, *, poll_s: float = INDEX_POLL_S) -> bool:
    """Wait until `reader`'s packet scan is done (a reader without one: at once), so that its first read
    does not fail as not indexed yet (:class:`FrameNotIndexedYet`), calling `progress(packets read,
    frames in the header)` between short waits; False, at once, when `wanted()` turns false (the
    caller was cancelled). Every reader of a video that must not skip frames waits here first: the
    app's open, its prediction worker and export, ``fosp video export``."""
    done = getattr(reader, "wait_indexed", None)
    if done is None:
        return True
    while not done(poll_s):
        if not wanted():
            return False
        if progress is not None:
            progress(int(getattr(reader, "packets_scanned", 0)), reader.meta.frame_count)
    return True


def open_video(path: str | Path, *, cache_bytes: int = DEFAULT_CACHE_BYTES,
               decoders: int = DEFAULT_DECODERS) -> FrameReader:
    """A reader for a video file or an image-sequence folder; raises VideoOpenError.

    decoders: how many decoders a video file keeps for random access (1 for reading in order).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        return ImageSequenceReader(path, cache_bytes=cache_bytes)
    return VideoFileReader(path, cache_bytes=cache_bytes, decoders=decoders)


class FrameNotIndexedYet(FrameDecodeError):
    """The frame's number cannot be told yet: the packet scan is still running (a long file). A transient
    state, not a damaged frame: read it again once :meth:`VideoFileReader.wait_indexed` is true."""

    def __init__(self, index: int) -> None:
        super().__init__(index, "the video's frames are still being indexed; try again")


_OPEN_READERS: weakref.WeakSet[VideoFileReader] = weakref.WeakSet()


@atexit.register
def _close_open_readers() -> None:
    """Close every reader still open when the interpreter exits: a packet scan still running in
    OpenCV on its daemon thread at shutdown aborts the process ("terminate called without an
    active exception"); closing stops and joins it and releases the captures."""
    for reader in list(_OPEN_READERS):
        try:
            reader.close()
        except Exception:  # noqa: BLE001 - exiting anyway; never turn an exit into a traceback
            pass


class VideoFileReader:
    """Frames of a video file through OpenCV/FFmpeg (see module doc). Thread-safe (one lock).

    stats: "decoded" frames delivered by decoding, "grabs" frames decoded in all (passed over
    included), "seeks", cache "hits".
    """

    def __init__(self, path: str | Path, *, cache_bytes: int = DEFAULT_CACHE_BYTES,
                 forward_window: int = DEFAULT_FORWARD_WINDOW, decoders: int = DEFAULT_DECODERS) -> None:
        self.path = Path(path)
        self.forward_window = forward_window
        self.cache = FrameCache(cache_bytes)
        self.stats = {"decoded": 0, "grabs": 0, "seeks": 0, "hits": 0}
        self._lock = threading.Lock()
        self._decoders = [Decoder(open_file_capture(self.path))]
        try:
            self.meta = self._probe()
        except BaseException:
            self._decoders[0].release()
            raise
        self._index: StreamIndex | None = None
        self._adopted = False
        self._found: tuple[StreamIndex | None, list[Decoder]] = (None, [])
        self._found_ready = threading.Event()
        self._stop = threading.Event()
        self._last = 0
        self._uses = 0
        #: Packets the background scan has read so far (every 256; progress for "Indexing video…").
        self.packets_scanned = 0
        self._scanner = threading.Thread(target=self._scan, args=(max(1, decoders) - 1,),
                                         name="video-index", daemon=True)
        self._scanner.start()
        _OPEN_READERS.add(self)
        if self.meta.variable_fps:  # the header's frame count is often an estimate (duration × fps)
            self._count_from(self.stream_index(wait=_OPEN_WAIT_S))

    def _probe(self) -> VideoMeta:
        probed = probe_capture(self._decoders[0].cap, self.path)
        self._probe_stamps = probed.stamps
        self._header_count = probed.header_count  # a whole file has this many packets
        self.cache.put(0, probed.first)
        self._first = probed.first  # OpenCV cannot seek back to frame 0 of a one-frame file: never decoded again
        return probed.meta

    # --- the background scan ------------------------------------------------------------------
    def _scan(self, spares: int) -> None:
        """Index the packets (once per file in a process: index_cache) and open the spare decoders (this
        thread never takes the read lock). A scan that fails (raises) leaves the numbering by time × fps, as
        one whose packets do not tell: the index is always done in the end, or every wait for it (the app's
        open) would wait for ever."""
        index: StreamIndex | None = None
        extra: list[Decoder] = []
        try:
            index = shared_scan(self.path, scan_stream, stop=self._stop, whole_count=self._header_count,
                                progress=lambda n: setattr(self, "packets_scanned", n))
            if index is not None and not self._index_agrees(index):
                index = None
        except Exception:  # noqa: BLE001 - a daemon thread: what it raised would be lost, the wait endless
            index = None  # (an index whose check raised is unchecked: not trusted either)
        try:
            for _ in range(spares):
                cap = None if self._stop.is_set() else open_capture(self.path)
                if cap is not None:
                    extra.append(Decoder(cap))
        finally:
            self._found = (index, extra)
            self._found_ready.set()

    def _index_agrees(self, index: StreamIndex) -> bool:
        """The packets tell the same frame times as decoding did when the file was opened. Frames decoded
        past the index's last one are frames whose number the index leaves in doubt (a file cut short):
        they do not count against it (a VFR file cut at 0.3 was read without its index, by counting
        decoded frames, and frame 8 was frame 9's picture)."""
        last = index.times_ms[-1]
        stamps = [ms for ms in self._probe_stamps if ms <= last + 1.0]
        return len(stamps) <= index.frame_count and all(
            abs(a - b) < 1.0 for a, b in zip(index.times_ms, stamps, strict=False))

    def _count_from(self, index: StreamIndex | None) -> None:
        """Take the frame count from the packets when the header said otherwise."""
        if index is not None and index.frame_count != self.meta.frame_count:
            note = f"{index.frame_count} frames in the file (its header says {self.meta.frame_count})"
            self.meta = replace(self.meta, frame_count=index.frame_count, warnings=(*self.meta.warnings, note))

    def wait_indexed(self, timeout: float = 0.0) -> bool:
        """Whether the background scan is done (waits up to `timeout` s; never takes the read lock): from
        then on no read waits for it. A caller that must not wait long (the app's open) polls this."""
        return self._found_ready.wait(timeout)

    def stream_index(self, wait: float = 0.0) -> StreamIndex | None:
        """The packet index once the background scan is done (waits up to `wait` s); None until
        then or when the packets cannot be trusted."""
        self._found_ready.wait(wait)
        return self._found[0] if self._found_ready.is_set() else None

    @property
    def frames_in_file(self) -> int | None:
        """How many frames the file's packets hold once the background scan is done (None until then, or
        when the packets cannot be trusted): fewer than ``meta.frame_count`` in a file cut short, whose
        header still counts the frames it lost."""
        found = self.stream_index()
        return found.frame_count if found is not None else None

    def _adopt(self, wait: float) -> None:
        """Take over the scan's results (called with the read lock held)."""
        if self._adopted or not self._found_ready.wait(wait):
            return
        self._index, extra = self._found
        self._decoders.extend(extra)
        self._adopted = True

    def time_of(self, index: int) -> float:
        """Seconds from the first frame to frame `index`: the frame's presentation time when the
        packet scan has finished (exact for variable-frame-rate files), else index / fps."""
        found = self.stream_index()
        if found is not None and 0 <= index < len(found.times_ms):
            return (found.times_ms[index] - found.times_ms[0]) / 1000.0
        return self.meta.time_of(index)

    # --- reading -------------------------------------------------------------------------------
    def read(self, index: int) -> np.ndarray:
        """Frame `index` as RGB uint8 (H, W, 3) (a shared cached array: do not modify it)."""
        if not 0 <= index < self.meta.frame_count:
            raise IndexError(f"frame {index} outside 0..{self.meta.frame_count - 1}")
        previous, self._last = self._last, index
        frame = self.cache.get(index)
        if frame is not None:
            self.stats["hits"] += 1
            return frame
        if index == 0:
            return self._first
        with self._lock:
            frame = self.cache.get(index)
            if frame is not None:
                return frame
            stepping_back = 0 < previous - index <= 2  # the frames just before are asked for next
            return self._decode(index, BACKWARD_KEEP if stepping_back else 0)

    def _plan(self, index: int) -> int | None:
        reaches = [d.reach for d in self._decoders]
        return plan_read(index, reaches, seek_landing(index, self._index), self.forward_window)

    def _decode(self, index: int, keep: int) -> np.ndarray:
        if not self._decoders:
            raise FrameDecodeError(index, "the video was closed")
        # One numbering whenever a frame is read: display order, from the packet index. Before the scan
        # was done a constant-rate file was numbered by time × fps, and where frames were dropped the
        # same number named another picture once the scan was in (frame 20 of a clip missing 10-11 was
        # the picture at 20/fps, then the one at 22/fps). So a read waits for the scan (about 0.1 ms a
        # packet); without a trusted index (the scan could not tell) the rate stands, for good. The wait
        # holds the read lock: callers that must stay responsive wait first (wait_indexed), and close()
        # from another thread ends it (the scan stops, then the read says the video was closed).
        self._adopt(_INDEX_WAIT_S)
        if self._stop.is_set():
            raise FrameDecodeError(index, "the video was closed")
        if not self._adopted:
            raise FrameNotIndexedYet(index)
        if self._index is not None and index >= self._index.frame_count:  # nothing to decode it from
            raise FrameDecodeError(index, f"the file's data ends after frame {self._index.frame_count - 1} "
                                          "(the file is cut short)")
        slot = self._plan(index)
        decoders = self._decoders
        decoder = decoders[slot] if slot is not None else min(decoders, key=lambda d: d.last_used)
        self._uses += 1
        decoder.last_used = self._uses
        if slot is not None:
            return self._decode_forward(decoder, index, keep)
        self.stats["seeks"] += decoder.seek(index, self._index)
        try:
            return self._decode_forward(decoder, index, keep)
        except FrameDecodeError:
            # A seek decodes from a point before the target and may give up at a damaged frame on
            # the way; walk there from further back (each damaged frame is then skipped on its own).
            self.stats["seeks"] += decoder.seek(max(0, index - 4 * self.forward_window), self._index)
            return self._decode_forward(decoder, index, 0)

    def _frame_at(self, ms: float) -> int | None:
        """The frame shown at `ms` (a decoder's position after a grab): from the packet index, else, at a
        constant frame rate, from the first frame's time and the rate; None when neither tells."""
        if self._index is not None:
            return self._index.index_at_time(ms)
        if self.meta.variable_fps or not self._probe_stamps:
            return None
        x = (ms - self._probe_stamps[0]) * self.meta.fps / 1000.0
        frame = round(x)
        return frame if frame >= 0 and abs(x - frame) < 0.25 else None

    def _decode_forward(self, decoder: Decoder, index: int, keep: int) -> np.ndarray:
        """Grab up to frame `index` and convert it; the `keep` frames before it go to the cache. Frames are
        told by their times where known (:meth:`Decoder.grab`): the target's own grab failing may only
        mean FFmpeg hands it over one call late (the last frames of a file cut short), so one more grab
        is made then."""
        knows_times = self._index is not None or not self.meta.variable_fps
        strict = self._index is not None  # a time the index has no frame for is no frame to deliver
        while decoder.next <= index:
            held = decoder.held
            if held is not None and keep and index - held <= keep and held not in self.cache:
                bgr = decoder.retrieve()
                if bgr is not None:
                    self.cache.put(held, self._fit(_to_rgb(bgr)))
            ok = decoder.grab(self._frame_at, strict=strict)
            self.stats["grabs"] += 1
            if not ok and knows_times and decoder.next == index + 1:
                decoder.grab(self._frame_at, strict=strict)
                self.stats["grabs"] += 1
        bgr = decoder.retrieve() if decoder.held == index else None
        self.stats["decoded"] += 1
        if bgr is None:
            raise FrameDecodeError(index, "the frame could not be decoded (damaged or missing data)")
        rgb = self._fit(_to_rgb(bgr))
        self.cache.put(index, rgb)
        return rgb

    def _fit(self, rgb: np.ndarray) -> np.ndarray:
        if rgb.shape[:2] != (self.meta.height, self.meta.width):
            rgb = cv2.resize(rgb, (self.meta.width, self.meta.height), interpolation=cv2.INTER_AREA)
        return rgb

    def close(self) -> None:
        _OPEN_READERS.discard(self)
        self._stop.set()
        self._scanner.join(timeout=5)
        with self._lock:
            if self._found_ready.is_set() and not self._adopted:
                self._decoders.extend(self._found[1])
                self._adopted = True
            for decoder in self._decoders:
                decoder.release()
            self._decoders = []
