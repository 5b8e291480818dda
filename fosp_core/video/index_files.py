"""A video's packet index kept on disk, for the app's next run: the scan of an hour of 1080p (90,000
packets; every byte of the file read, 0.4-1 s here on a warm page cache, far more on a cold disk or a
share) ran again at every start of the app, whose in-process cache (:mod:`fosp_core.video.index_cache`)
ends with the process.

One small ``.npz`` per file version (real path, size, modification time: `index_cache.file_key`) under
``<cache_dir>/video-index/``, written atomically (temp file + ``os.replace``) after a whole scan; read back
only when its stored key is the file's key now, its arrays make a valid index (keyframes ascending from 0,
times strictly increasing) and its format is :data:`FORMAT`. Anything else (missing, damaged, another
version) reads as None: the file is scanned as before. At most :data:`KEPT_FILES` are kept, the least
recently written dropped first. Writes that fail are ignored: a cache, never the video's truth.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from fosp_core.paths import cache_dir
from fosp_core.video.stream_index import StreamIndex

__all__ = ["FORMAT", "KEPT_FILES", "index_folder", "load_index", "save_index"]

#: 2: a scan reads on past damaged packets (`stream_index.scan_stream`); a format-1 index of a damaged file
#: ends at its first damaged packet, and is scanned again
FORMAT = 2
KEPT_FILES = 64
FileKey = tuple[str, int, int]


def index_folder() -> Path:
    return cache_dir() / "video-index"


def _file_for(key: FileKey) -> Path:
    digest = hashlib.sha1(f"{key[0]}\0{key[1]}\0{key[2]}".encode(), usedforsecurity=False).hexdigest()
    return index_folder() / f"{digest}.npz"


def load_index(key: FileKey) -> StreamIndex | None:
    """The index saved for this version of the file; None when there is none fit to use (see module doc)."""
    try:
        with np.load(_file_for(key), allow_pickle=False) as data:
            if int(data["format"]) != FORMAT or str(data["path"]) != key[0] or \
                    int(data["size"]) != key[1] or int(data["mtime_ns"]) != key[2]:
                return None
            keyframes, times = data["keyframes"].astype(np.int64), data["times_ms"].astype(np.float64)
    except (OSError, KeyError, ValueError, TypeError):
        return None
    if (times.ndim != 1 or keyframes.ndim != 1 or not len(times) or not len(keyframes) or keyframes[0] != 0
            or np.any(np.diff(keyframes) <= 0) or keyframes[-1] >= len(times) or np.any(np.diff(times) <= 0)):
        return None
    return StreamIndex(tuple(keyframes.tolist()), tuple(times.tolist()))


def save_index(key: FileKey, index: StreamIndex) -> None:
    """Keep `index` for this version of the file (atomic; a failure is ignored: the next run scans)."""
    folder = index_folder()
    target = _file_for(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, format=FORMAT, path=key[0], size=key[1], mtime_ns=key[2],
                         keyframes=np.asarray(index.keyframes, np.int64), times_ms=np.asarray(index.times_ms, np.float64))
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime_ns)
    for old in files[:-KEPT_FILES]:
        old.unlink(missing_ok=True)
