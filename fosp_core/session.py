"""The image session: which images are open, which one is current, which ones failed.

Plain Python, no Qt: the GUI binds its widgets to an :class:`ImageSession` through the callback
events below, and tests drive it without a screen. Decoding happens elsewhere (a worker thread in
the app); the session only records the outcome (:meth:`ImageSession.set_current_image`,
:meth:`ImageSession.mark_failed`).

Turning what a user opened (files, folders, SmokeSeg datasets) into image paths is
:func:`collect_image_paths` (:mod:`fosp_core.open_paths`, re-exported here with the other names of
that module its importers use).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from pathlib import Path
from typing import Any

from fosp_core.io.images import LoadedImage
from fosp_core.open_paths import (
    SMOKESEG_IMAGE_DIR,
    OpenError,
    collect_image_paths,
    resolve_paths,
    resolve_texts,
    split_video_paths,
)

__all__ = [
    "SMOKESEG_IMAGE_DIR",
    "Event",
    "ImageSession",
    "OpenError",
    "SessionEvents",
    "collect_image_paths",
    "name_matcher",
    "resolve_paths",
    "resolve_texts",
    "split_video_paths",
]


def _text(path: object) -> str:
    """The key of a path in :class:`ImageSession`'s rows: its text, case-folded as `Path` equality
    does on Windows (``os.path.normcase``); elsewhere the text itself (``str``: no call more)."""
    return os.path.normcase(str(path))


_key: Callable[[object], str] = _text if os.name == "nt" else str


class Event:
    """A minimal callback list: ``connect(cb)``, ``disconnect(cb)``, ``emit(*args)``.

    Callbacks run synchronously, in connection order, on the emitting thread.
    """

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        """Call `callback(*args)` on every emit (a callback connected twice runs once)."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling `callback`; unknown callbacks are ignored."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)


@dataclass(frozen=True)
class SessionEvents:
    """Change events of an :class:`ImageSession`.

    entries_changed(): the list of paths changed (added or removed).
    current_changed(index: int): the current index changed (-1 = none).
    image_changed(image: LoadedImage | None): the decoded current image arrived or was cleared.
    errors_added(errors: list[OpenError]): new open errors were recorded.
    filter_changed(pattern: str): the name filter changed (which images are listed; see
        :meth:`ImageSession.set_filter`).
    """

    entries_changed: Event
    current_changed: Event
    image_changed: Event
    errors_added: Event
    filter_changed: Event


def name_matcher(pattern: str) -> Callable[[str], bool]:
    """A test of file names for the image list's filter box, case-insensitive: every
    whitespace-separated term of `pattern` must occur in the name; a term with ``*``, ``?`` or
    ``[`` is a shell-style wildcard matched anywhere in it (``2020*_01`` finds
    ``20200822_01920.jpg``). An empty pattern matches every name."""
    terms = pattern.casefold().split()

    def term_test(term: str) -> Callable[[str], bool]:
        if any(c in term for c in "*?["):
            wildcard = f"*{term}*"
            return lambda name: fnmatch.fnmatchcase(name, wildcard)
        return lambda name: term in name

    tests = [term_test(t) for t in terms]
    return lambda name: all(test(name.casefold()) for test in tests)


class ImageSession:
    """The images opened in one window.

    Holds the ordered image paths, the current index (-1 when empty), the decoded current image
    (None until it arrives) and the errors met while opening. Every change fires one of
    :attr:`events`.
    """

    def __init__(self) -> None:
        self.events = SessionEvents(Event(), Event(), Event(), Event(), Event())
        self._paths: tuple[Path, ...] = ()
        self._names: tuple[str, ...] = ()  # the paths' file names, for the list and its filter
        # str(path) -> index, so lookups stay O(1) in big folders; keyed by the path's text, whose hash and
        # equality are C's (a Path's are Python methods: three calls a path when a folder was opened again)
        self._rows: dict[str, int] = {}
        self._filter = ""
        self._visible: tuple[int, ...] | None = None  # indices the filter lists; None: all
        self._visible_set: frozenset[int] = frozenset()
        self._current = -1
        self._image: LoadedImage | None = None
        self._errors: list[OpenError] = []

    # --- reading -------------------------------------------------------------------------------
    @property
    def paths(self) -> tuple[Path, ...]:
        """The open image paths, in display order."""
        return self._paths

    @property
    def names(self) -> tuple[str, ...]:
        """The file names of :attr:`paths` (``path.name``), in the same order."""
        return self._names

    def __len__(self) -> int:
        return len(self._paths)

    def index_of(self, path: str | Path) -> int:
        """Index of `path` in the session, or -1. A path open as given (the session's paths are resolved: the
        window's own, handed around) is found without a look at the disk, which a share that stopped answering
        holds; any other is resolved first (a link to an open image, a relative path)."""
        path = Path(path)
        at = self._rows.get(_key(path), -1)
        return at if at >= 0 else self._rows.get(_key(path.resolve()), -1)

    @property
    def current_index(self) -> int:
        """Index of the current image, -1 when the session is empty."""
        return self._current

    @property
    def current_path(self) -> Path | None:
        """Path of the current image, None when the session is empty."""
        return self._paths[self._current] if self._current >= 0 else None

    @property
    def current_image(self) -> LoadedImage | None:
        """The decoded current image (RGB uint8 HxWx3 in ``.rgb``), None while it is loading."""
        return self._image

    @property
    def errors(self) -> tuple[OpenError, ...]:
        """Every open error met in this session, oldest first."""
        return tuple(self._errors)

    @property
    def filter(self) -> str:
        """The name filter (see :func:`name_matcher`); "" lists every image."""
        return self._filter

    def __contains__(self, path: object) -> bool:
        """Whether `path`, a resolved `Path` (as :attr:`paths` holds them), is open; no file
        system access, unlike :meth:`index_of`."""
        return isinstance(path, Path) and _key(path) in self._rows

    def visible_indices(self) -> tuple[int, ...]:
        """Indices of the images the filter lists, in order (every index without a filter)."""
        return tuple(range(len(self._paths))) if self._visible is None else self._visible

    def visible_count(self) -> int:
        """How many images the filter lists (all of them without a filter)."""
        return len(self._paths) if self._visible is None else len(self._visible)

    def visible_at(self, row: int) -> int:
        """The index of the `row`-th listed image (0-based), -1 when there is none; O(1)."""
        if not 0 <= row < self.visible_count():
            return -1
        return row if self._visible is None else self._visible[row]

    def visible_row(self, index: int) -> int:
        """The place of image `index` among the listed ones, -1 when the filter hides it (or there
        is no such image); O(log n)."""
        if not 0 <= index < len(self._paths):
            return -1
        if self._visible is None:
            return index
        at = bisect.bisect_left(self._visible, index)
        return at if at < len(self._visible) and self._visible[at] == index else -1

    def is_visible(self, index: int) -> bool:
        """Whether image `index` is listed under the current filter."""
        if not 0 <= index < len(self._paths):
            return False
        return self._visible is None or index in self._visible_set

    def has_next(self) -> bool:
        """Whether :meth:`next` would move (a listed image after the current one)."""
        return self.neighbour(+1) != self._current

    def has_previous(self) -> bool:
        """Whether :meth:`previous` would move."""
        return self.neighbour(-1) != self._current

    # --- changing ------------------------------------------------------------------------------
    def add(self, paths: Iterable[str | Path], *, resolved: bool = False,
            names: Iterable[str] | None = None, keys: Iterable[str] | None = None) -> list[Path]:
        """Append image paths not open yet; returns the newly added ones (resolved).

        When the session had no current image, the first added one becomes current. resolved: the
        paths are resolved `Path`s already (:func:`collect_image_paths`'s), so they are taken as
        they are (100 000 paths: a second less). names: their file names, when the caller has
        them (a worker thread made them: 0.05-0.1 s less on the GUI thread for 100 000). keys:
        their texts (``str(path)``), likewise, for resolved paths. Which ones are open already is
        told by their texts at C speed: no Python call a path but one ``str`` (none with `keys`).
        """
        items = list(paths) if resolved else list(resolve_paths(paths))
        if keys is None:
            texts = list(map(_key, items))
        else:  # texts made elsewhere: case-folded here on Windows only
            texts = list(keys) if _key is str else list(map(_key, keys))
        labels = list(names) if names is not None else None
        if len(texts) != len(items) or (labels is not None and len(labels) != len(items)):
            raise ValueError("add: paths, names and keys differ in length")
        rows = self._rows
        first = dict(zip(texts, range(len(texts)), strict=True))  # one row a path: the last of equal ones, in first order
        if rows:
            fresh = list(filterfalse(rows.__contains__, first))
        else:
            fresh = texts if len(first) == len(texts) else list(first)
        if not fresh:
            return []
        if len(fresh) == len(items):  # every one new, none twice: taken as given
            added, labels_added = items, labels
        else:
            at = list(map(first.__getitem__, fresh))
            added = list(map(items.__getitem__, at))
            labels_added = None if labels is None else list(map(labels.__getitem__, at))
        if resolved and not all(issubclass(kind, Path) for kind in set(map(type, added))):  # C loops
            added = [p if isinstance(p, Path) else Path(p) for p in added]
        start = len(self._paths)
        self._paths += tuple(added)
        self._names += tuple(p.name for p in added) if labels_added is None else tuple(labels_added)
        rows.update(zip(fresh, range(start, start + len(fresh)), strict=True))  # appended: others stay
        self._apply_filter(start)
        self.events.entries_changed.emit()
        if self._current < 0:
            self.set_current(0)
        return added

    def set_current(self, index: int) -> None:
        """Make image `index` current (clamped to the valid range); clears the decoded image."""
        index = max(0, min(index, len(self._paths) - 1)) if self._paths else -1
        if index == self._current:
            return
        self._current = index
        self._image = None
        self.events.current_changed.emit(index)
        self.events.image_changed.emit(None)

    def next(self) -> None:
        """Go to the next image the filter lists (stays on the last one)."""
        if self._paths:
            self.set_current(self.neighbour(+1))

    def previous(self) -> None:
        """Go to the previous image the filter lists (stays on the first one)."""
        if self._paths:
            self.set_current(self.neighbour(-1))

    def neighbour(self, direction: int) -> int:
        """The index next (`direction` > 0) or previous (< 0) moves to: the nearest listed image
        after or before the current one (the current image itself need not be listed), or the
        current index when there is none."""
        if self._visible is None:
            return max(0, min(self._current + direction, len(self._paths) - 1)) if self._paths else -1
        if direction > 0:  # the listed indices are sorted: bisect, not a scan of 100 000 of them
            at = bisect.bisect_right(self._visible, self._current)
            return self._visible[at] if at < len(self._visible) else self._current
        at = bisect.bisect_left(self._visible, self._current)
        return self._visible[at - 1] if at > 0 else self._current

    def set_filter(self, pattern: str) -> None:
        """List only the images whose file name matches `pattern` (:func:`name_matcher`; "" lists
        all). The current image stays current even when the filter hides it; next/previous then
        move among the listed ones."""
        pattern = pattern.strip()
        if pattern == self._filter:
            return
        self._filter = pattern
        self._apply_filter()
        self.events.filter_changed.emit(pattern)

    def set_current_image(self, image: LoadedImage) -> bool:
        """Record the decoded current image. Ignored (returns False) when `image.path` is no
        longer the current path - a stale result from an earlier request. Its path is compared as
        :meth:`index_of` finds it: the current (resolved) path itself, as the window's loader hands it
        back, is not looked at on the disk again."""
        current = self._current
        if current < 0 or self.index_of(image.path) != current:
            return False
        self._image = image
        self.events.image_changed.emit(image)
        return True

    def record_errors(self, errors: Sequence[OpenError]) -> None:
        """Remember open errors that never made it into the list (e.g. missing paths)."""
        if errors:
            self._errors.extend(errors)
            self.events.errors_added.emit(list(errors))

    def _set_paths(self, paths: tuple[Path, ...]) -> None:
        self._paths = paths
        self._rows = dict(zip(map(_key, paths), range(len(paths)), strict=True))
        self._apply_filter()

    def _apply_filter(self, start: int = 0) -> None:
        """List the images the filter matches; `start`: those before it are listed already (appended)."""
        if not self._filter:
            self._visible, self._visible_set = None, frozenset()
            return
        matches = name_matcher(self._filter)
        kept = self._visible[:bisect.bisect_left(self._visible, start)] if start and self._visible is not None else ()
        self._visible = kept + tuple(i for i, name in enumerate(self._names[start:], start) if matches(name))
        self._visible_set = frozenset(self._visible)

    def mark_failed(self, path: str | Path, reason: str) -> OpenError | None:
        """An open image turned out unreadable: drop it from the list and record the error.

        Returns the recorded error, or None when `path` was not (or no longer) open - so a file
        whose thumbnail and full decode both fail is reported once.
        """
        index = self.index_of(path)
        if index < 0:
            return None
        error = OpenError(self._paths[index], reason)
        self._names = self._names[:index] + self._names[index + 1 :]
        self._set_paths(self._paths[:index] + self._paths[index + 1 :])
        current_removed = index == self._current
        if index < self._current:
            self._current -= 1  # the same image stays current; only its index shifted
        elif current_removed:
            self._current = min(index, len(self._paths) - 1)  # the next image (or none) replaces it
            self._image = None
        self.events.entries_changed.emit()
        if index <= self._current or current_removed:
            self.events.current_changed.emit(self._current)
        if current_removed:
            self.events.image_changed.emit(None)
        self.record_errors([error])
        return error
