"""Recently opened files and folders, kept in QSettings (most recent first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent/paths"
RECENT_LIMIT = 10


class RecentPaths:
    """A most-recent-first list of paths stored under one QSettings key."""

    def __init__(self, settings: QSettings, key: str = RECENT_KEY, limit: int = RECENT_LIMIT) -> None:
        self._settings = settings
        self._key = key
        self._limit = limit

    def paths(self) -> list[Path]:
        """Stored paths, most recent first (paths that vanished since are kept; the menu shows
        them disabled)."""
        value = self._settings.value(self._key, [])
        if isinstance(value, str):  # QSettings returns a bare string for one-element lists
            value = [value]
        return [Path(v) for v in (value or []) if v]

    def add(self, path: str | Path) -> None:
        """Put `path` first (removing an older entry for it) and trim to the limit."""
        path = Path(path).resolve()
        paths = [path, *(p for p in self.paths() if p != path)][: self._limit]
        self._settings.setValue(self._key, [str(p) for p in paths])

    def clear(self) -> None:
        self._settings.remove(self._key)
