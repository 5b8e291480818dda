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
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path

from fosp_core.io.image_files import list_images
from fosp_core.video.predictions import PredictionCache

__all__ = ["KEPT_MAP_BYTES", "KEPT_VIDEOS", "KeptPredictions", "video_identity"]

#: How many closed videos' predictions are kept.
KEPT_VIDEOS = 3
#: The bytes of probability maps kept of each (its summaries are kept whole: 202 bytes a frame).
KEPT_MAP_BYTES = 32 * 1024 * 1024

_Identity = tuple[str, int, int]


def video_identity(path: str | Path) -> _Identity | None:
    """(resolved path, size, modification time in ns) of a video file; of an image-sequence folder
    (resolved path, its frames' total size, a digest of their names, sizes and modification times).
    None when it cannot be read (then nothing is kept of it)."""
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


class KeptPredictions:
    """Prediction caches of the videos closed lately (see module doc). Not thread-safe: the GUI's."""

    def __init__(self, videos: int = KEPT_VIDEOS, map_bytes: int = KEPT_MAP_BYTES) -> None:
        self.videos = int(videos)
        self.map_bytes = int(map_bytes)
        self._kept: OrderedDict[_Identity, PredictionCache] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def keep(self, path: str | Path, cache: PredictionCache) -> bool:
        """Keep `cache`, the predictions of the video `path` being closed (trimmed; the oldest kept video's
        dropped past :attr:`videos`); returns whether it is kept. A cache without a model's key or a
        summary is not worth keeping."""
        identity = video_identity(path)
        if identity is None or not cache.model_key or not cache.summary_count():
            return False
        cache.trim(self.map_bytes)
        self._kept.pop(identity, None)
        self._kept[identity] = cache
        while len(self._kept) > self.videos:
            self._kept.popitem(last=False)
        return True

    def take(self, path: str | Path, frame_count: int) -> PredictionCache | None:
        """The cache kept of the video `path` (no longer kept here), None when none is or the file has
        changed since (another size, modification time or frame count)."""
        identity = video_identity(path)
        cache = self._kept.pop(identity, None) if identity is not None else None
        return cache if cache is not None and cache.frame_count == int(frame_count) else None
