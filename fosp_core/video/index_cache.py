"""One packet scan per video file in a process: the finished :class:`~fosp_core.video.stream_index.StreamIndex`
(frozen, so safe to share between threads) is kept for the next reader of the same file.

The app opens a video with one reader and predicts its frames with another (the prediction worker's, on its
own thread); each reader's background scan read every packet of the file again (about 0.1 ms a packet, an
hour of 1080p holds 108 000, more on a slow disk). :func:`shared_scan` runs the scan once per file version
(path, size, modification time): a reader that comes while another reader's scan of the same file runs
waits for that scan instead of starting its own, and one that comes after it takes its result at once. A
scan stopped before its end (its reader closed) leaves nothing behind: a reader waiting for it then scans
itself. The last :data:`KEPT` files' results are kept (an index of 108 000 frames is about 4 MB). A whole
scan's index is also kept on disk for the app's next run (:mod:`fosp_core.video.index_files`): the first
reader of a file in a process takes it from there when the file has not changed since, without scanning.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from fosp_core.video import index_files
from fosp_core.video.stream_index import StreamIndex

__all__ = ["KEPT", "ScanFn", "clear", "file_key", "scans_run", "shared_scan"]

#: Files whose scan outcome is kept (least recently used dropped first).
KEPT = 8
_POLL_S = 0.05  # a reader waiting for another's scan sees its own stop this soon

ScanFn = Callable[..., StreamIndex | None]
"""``scan_stream(path, *, stop, whole_count, progress)`` (:func:`fosp_core.video.stream_index.scan_stream`)."""
FileKey = tuple[str, int, int]


class _Scan:
    """One file's scan: running (`done` not set) or over (`index`, None when its packets do not tell)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.index: StreamIndex | None = None
        self.abandoned = False  # stopped before its end: tells nothing
        self.packets = 0


_lock = threading.Lock()
_scans: OrderedDict[FileKey, _Scan] = OrderedDict()
_counter = {"scans": 0}


def file_key(path: str | Path) -> FileKey | None:
    """(real path, size, modification time in ns) of `path`; None when it cannot be read."""
    try:
        real = os.path.realpath(path)
        stat = os.stat(real)
    except OSError:
        return None
    return real, stat.st_size, stat.st_mtime_ns


def scans_run() -> int:
    """How many scans :func:`shared_scan` has run in this process (the shared ones counted once)."""
    return _counter["scans"]


def clear() -> None:
    """Forget every finished scan (tests; a file rewritten in place within its mtime's resolution)."""
    with _lock:
        for key in [k for k, s in _scans.items() if s.done.is_set()]:
            del _scans[key]


def shared_scan(path: str | Path, scan: ScanFn, *, stop: threading.Event | None = None,
                whole_count: int | None = None, progress: Callable[[int], None] | None = None) -> StreamIndex | None:
    """`scan(path, ...)`'s outcome for this version of the file, run at most once in this process (see the
    module doc). None as `scan` returns it (the packets do not tell), or when `stop` was set meanwhile.

    progress: called with the packets read so far, every 256, by this call's scan or the one it waits for."""
    key = file_key(path)
    while True:
        if stop is not None and stop.is_set():
            return None
        with _lock:
            entry = _scans.get(key) if key is not None else None
            owner = entry is None
            if entry is None:
                entry = _Scan()
                if key is not None:
                    _scans[key] = entry
            else:
                _scans.move_to_end(key)  # type: ignore[arg-type]
        if owner:
            return _run(path, key, entry, scan, stop, whole_count, progress)
        seen = 0
        while not entry.done.wait(_POLL_S):
            if stop is not None and stop.is_set():
                return None
            if progress is not None and entry.packets != seen:
                seen = entry.packets
                progress(seen)
        if not entry.abandoned:
            return entry.index
        # the scan waited for was stopped (its reader closed): scan here (or wait for the next one)


def _run(path: str | Path, key: FileKey | None, entry: _Scan, scan: ScanFn, stop: threading.Event | None,
         whole_count: int | None, progress: Callable[[int], None] | None) -> StreamIndex | None:
    """Run the scan of `entry` and publish its outcome (or its abandon: stopped, failed, or the file changed)."""

    def counted(n: int) -> None:
        entry.packets = n
        if progress is not None:
            progress(n)

    index: StreamIndex | None = index_files.load_index(key) if key is not None else None  # an earlier run's
    finished = index is not None
    try:
        if index is None:
            _counter["scans"] += 1
            index = scan(path, stop=stop, whole_count=whole_count, progress=counted)
            finished = not (stop is not None and stop.is_set())
            if finished and index is not None and key is not None and file_key(path) == key:
                index_files.save_index(key, index)
    finally:
        with _lock:
            entry.index = index
            entry.abandoned = not finished or key is None or file_key(path) != key
            if key is not None and entry.abandoned and _scans.get(key) is entry:
                del _scans[key]
            while len(_scans) > KEPT:
                oldest = next((k for k, s in _scans.items() if s.done.is_set()), None)
                if oldest is None:
                    break
                del _scans[oldest]
            entry.done.set()
    return index if finished else None
