"""Recently opened files and folders, kept in QSettings (most recent first), and the image last
shown from each opened folder (where opening it again resumes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from app.last_position import LastPositions

RECENT_KEY = "recent/paths"
RECENT_LIMIT = 10
LAST_IMAGES_KEY = "recent/last_images"
LAST_IMAGES_LIMIT = 50  # folders whose last shown image is kept


class RecentPaths:
    """A most-recent-first list of paths stored under one QSettings key."""

    def __init__(self, settings: QSettings, key: str = RECENT_KEY, limit: int = RECENT_LIMIT) -> None:
        self._settings = settings
        self._key = key
        self._limit = limit
        self._last_images = LastPositions(settings, LAST_IMAGES_KEY, LAST_IMAGES_LIMIT, parse=_path, dump=str)
        self._listeners: list[Callable[[list[Path]], object]] = []

    def listen(self, listener: Callable[[list[Path]], object]) -> None:
        """Call `listener` with the paths added each time one is (File ▸ Open Recent checks them again,
        :mod:`app.recent_states`)."""
        self._listeners.append(listener)

    def paths(self) -> list[Path]:
        """Stored paths, most recent first (paths that vanished since are kept; the menu shows
        them disabled)."""
        value = self._settings.value(self._key, [])
        if isinstance(value, str):  # QSettings returns a bare string for one-element lists
            value = [value]
        return [Path(v) for v in (value or []) if v]

    def add(self, path: str | Path) -> None:
        """Put `path` first (removing an older entry for it) and trim to the limit. Resolves it: on the disk,
        which a share that does not answer holds; an open gives :meth:`add_resolved` the path its worker resolved."""
        self.add_resolved(Path(path).resolve())

    def add_resolved(self, path: Path) -> None:
        """:meth:`add` for a path resolved already (on a worker): no look at the disk."""
        paths = [path, *(p for p in self.paths() if p != path)][: self._limit]
        self._settings.setValue(self._key, [str(p) for p in paths])
        for listener in self._listeners:
            listener([path])

    def clear(self) -> None:
        """Forget the recent paths and the images last shown from them."""
        self._settings.remove(self._key)
        self._last_images.clear()

    def last_image(self, folder: str | Path) -> Path | None:
        """The image last shown from `folder` (as given to :meth:`set_last_image`), None if unknown."""
        return self._last_images.get(folder)

    def set_last_image(self, folder: str | Path, image: str | Path) -> None:
        """Remember `image` as the one last shown from `folder` (resolved paths; the most recent
        `LAST_IMAGES_LIMIT` folders are kept)."""
        self._last_images.put(folder, Path(image))


def _path(value: Any) -> Path:
    """An image path read from the settings."""
    return Path(value)
