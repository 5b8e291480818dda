"""The predictions of videos closed lately, kept for when they are opened again (another video or the
images looked at in between): a whole-video run, or the frames predicted so far, is not predicted again.

:class:`KeptPredictions` holds the :class:`~fosp_core.video.predictions.PredictionCache` of the last
:data:`KEPT_VIDEOS` videos closed, each trimmed to its summaries (every frame's, for the timeline's
curves) and :data:`KEPT_MAP_BYTES` of maps nearest to where the user was. A cache is given back only for
the same file (path, size and modification time; of an image-sequence folder, every frame file's name,
size and modification time: a frame written again in place leaves the folder's own unchanged) with the
same frame count; whether its maps are still
those of the model in use is the cache's ``model_key`` (the prediction worker keeps the cache only when
its model's key is that one).

The identity kept is the one the video had when it was opened, before any frame was read: the app's
opener probes it on its thread (`app.video.open_worker.prepare_video`) and hands it to
:meth:`KeptPredictions.keep` at the close and to :meth:`KeptPredictions.take` at the next opening. An
identity probed at the close, or after it, would hold a frame written while the video was open (or
since the close) and give that frame the old frame's predictions.

The identity of an image-sequence folder costs one ``stat`` a frame (3000 frames: ~25 ms on a local disk,
seconds on a slow network drive; ``bench/bench_kept_identity.py``), so the calling thread (the GUI's)
does not probe it: given none, :meth:`KeptPredictions.keep` hands the probe to a daemon thread of its
own (then a frame written between the close and that probe is not seen: scripts only), and
:meth:`KeptPredictions.take` probes nothing when nothing is kept of the path opened (one ``realpath``
of it). Only a video opened again while kept is probed by the caller when no `identity` is handed in.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from fosp_core.io.image_files import list_images
from fosp_core.video.predictions import PredictionCache

__all__ = ["KEPT_MAP_BYTES", "KEPT_VIDEOS", "Identity", "KeptPredictions", "video_identity"]

#: How many closed videos' predictions are kept.
KEPT_VIDEOS = 3
#: The bytes of probability maps kept of each (its summaries are kept whole: 202 bytes a frame).
KEPT_MAP_BYTES = 32 * 1024 * 1024

#: (resolved path, size, modification time or frames' digest): see :func:`video_identity`.
Identity = tuple[str, int, int]


def video_identity(path: str | Path) -> Identity | None:
    """(resolved path, size, modification time in ns) of a video file; of an image-sequence folder
    (resolved path, its frames' total size, a digest of their names, sizes and modification times).
    None when it cannot be read (then nothing is kept of it). Any thread; a folder costs one ``stat``
    a frame."""
    try:
        resolved = Path(path).resolve()
        stat = resolved.stat()
        if not resolved.is_dir():
            return str(resolved), stat.st_size, stat.st_mtime_ns
        frames = hashlib.blake2b(digest_size=8)
        total = 0
        for frame in list_images(resolved):
            st = os.stat(frame)
            total += st.st_size
            frames.update(f"{frame.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    except OSError:
        return None
    return str(resolved), total, int.from_bytes(frames.digest(), "little")


def _probe(path: str, into: Future[Identity | None]) -> None:
    try:
        into.set_result(video_identity(path))
    except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it
        into.set_exception(exc)


@dataclass
class _Kept:
    """A closed video's cache, the path it was closed under (absolute, as given) and its identity, probed
    on a thread of its own."""

    given: str
    cache: PredictionCache
    probe: Future[Identity | None] = field(default_factory=Future)

    def resolved(self) -> str | None:
        """Its resolved path once probed (None before, or when it could not be read)."""
        if not self.probe.done() or self.probe.exception() is not None:
            return None
        identity = self.probe.result()
        return identity[0] if identity is not None else None

    def identity(self) -> Identity | None:
        """Its identity, waiting for the probe (started at its close: done by now but for a slow disk)."""
        try:
            return self.probe.result()
        except Exception:  # noqa: BLE001 - an unreadable video: nothing is kept of it
            return None


class KeptPredictions:
    """Prediction caches of the videos closed lately (see module doc). Not thread-safe: the GUI's (the
    identity probes run on daemon threads of their own and only fill in their futures)."""

    def __init__(self, videos: int = KEPT_VIDEOS, map_bytes: int = KEPT_MAP_BYTES) -> None:
        self.videos = int(videos)
        self.map_bytes = int(map_bytes)
        self._kept: OrderedDict[int, _Kept] = OrderedDict()
        self._serial = count()

    def __len__(self) -> int:
        self._drop_unreadable()
        return len(self._kept)

    def keep(self, path: str | Path, cache: PredictionCache, identity: Identity | None = None) -> bool:
        """Keep `cache`, the predictions of the video `path` being closed (trimmed; the oldest kept video's
        dropped past :attr:`videos`); returns whether it is kept. A cache without a model's key or a
        summary is not worth keeping. `identity`: :func:`video_identity` of `path` when it was opened (the
        app's); without it the identity is probed now on a thread of its own (module doc): nothing here
        reads the disk (a video that cannot be read is dropped once its probe says so)."""
        if not cache.model_key or not cache.summary_count():
            return False
        cache.trim(self.map_bytes)
        given = os.path.abspath(path)
        for serial in [s for s, kept in self._kept.items() if kept.given == given]:
            del self._kept[serial]  # closed again: the newer predictions replace the older
        entry = _Kept(given, cache)
        self._kept[next(self._serial)] = entry
        if identity is not None:
            entry.probe.set_result(identity)
        else:
            threading.Thread(target=_probe, args=(given, entry.probe), name="kept-identity", daemon=True).start()
        while len(self._kept) > self.videos:
            self._kept.popitem(last=False)
        return True

    def take(self, path: str | Path, frame_count: int, identity: Identity | None = None) -> PredictionCache | None:
        """The cache kept of the video `path` (no longer kept here), None when none is or the file has
        changed since (another size, modification time or frame count). Reads nothing of a folder when
        nothing is kept of it; a kept one is probed here unless `identity` (:func:`video_identity` of
        `path`, computed on another thread) is given."""
        self._drop_unreadable()
        if not self._kept:
            return None
        given = os.path.abspath(path)
        try:
            resolved = os.path.realpath(given)
        except (OSError, ValueError):
            resolved = None
        candidates = [s for s, kept in reversed(self._kept.items())
                      if kept.given == given or (resolved is not None and kept.resolved() == resolved)]
        if not candidates:
            return None
        now = identity if identity is not None else video_identity(path)
        if now is None:
            return None
        for serial in candidates:
            kept = self._kept[serial]
            if kept.identity() == now:
                del self._kept[serial]
                return kept.cache if kept.cache.frame_count == int(frame_count) else None
        return None

    def settle(self, timeout: float | None = None) -> None:
        """Wait for the identity probes of the videos kept (tests, benches); any left after `timeout` are
        left running."""
        for kept in list(self._kept.values()):
            try:
                kept.probe.exception(timeout)
            except TimeoutError:
                return

    def _drop_unreadable(self) -> None:
        for serial in [s for s, kept in self._kept.items() if kept.probe.done() and kept.identity() is None]:
            del self._kept[serial]
