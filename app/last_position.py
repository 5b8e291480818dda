"""Where each path was left, kept in QSettings: the image last shown from a folder (:mod:`app.recent`)
and the frame last shown from a video (:mod:`app.video.resume`), so that opening it again resumes there.

One key holds a JSON list of ``[path, position]`` pairs, most recent first, the `limit` most recent
kept (the text earlier versions wrote under ``recent/last_images`` and ``video/last_frames``). A value
that does not read (hand-edited, or from another version) starts the list afresh."""

from __future__ import annotations

import json
import os.path
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

__all__ = ["LastPositions"]

T = TypeVar("T")

_normcase = os.path.normcase


def _case(path: str) -> str:
    """`path` as the platform compares paths (Windows: without regard to case or slash direction)."""
    return _normcase(path)


class LastPositions(Generic[T]):
    """{path: position} under one QSettings key, most recent first.

    parse: a position as read from JSON -> T (raises ValueError, TypeError or OverflowError when it is
    none);
    dump: T -> what JSON writes for it. Paths are compared as :class:`~pathlib.Path` spells them:
    callers that want a file known under every name resolve it first."""

    def __init__(self, settings: QSettings, key: str, limit: int,
                 parse: Callable[[Any], T], dump: Callable[[T], object]) -> None:
        self._settings = settings
        self._key = key
        self._limit = limit
        self._parse = parse
        self._dump = dump

    def get(self, path: str | Path) -> T | None:
        """The position last recorded for `path`, None when there is none."""
        key = _case(str(Path(path)))
        return next((position for p, position in self._pairs() if _case(p) == key), None)

    def put(self, path: str | Path, position: T) -> None:
        """Record `position` for `path` (first in the list; the oldest beyond the limit dropped)."""
        key = str(Path(path))
        same = _case(key)
        pairs = [(key, position), *((p, q) for p, q in self._pairs() if _case(p) != same)]
        self._settings.setValue(self._key, json.dumps([[p, self._dump(q)] for p, q in pairs[: self._limit]]))

    def items(self) -> list[tuple[str, T]]:
        """Every (path, position) recorded, most recent first (none when the value does not read)."""
        return self._pairs()

    def clear(self) -> None:
        """Forget every position."""
        self._settings.remove(self._key)

    def _pairs(self) -> list[tuple[str, T]]:
        try:
            pairs = json.loads(str(self._settings.value(self._key, "[]")))
            return [(str(Path(path)), self._parse(position)) for path, position in pairs]
        # hand-edited or from another version (OverflowError: int() of 1e400, which JSON reads as inf)
        except (ValueError, TypeError, OverflowError):
            return []  # start afresh
