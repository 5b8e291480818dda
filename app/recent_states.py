"""Whether each recent path is there, and a folder or a file, asked off the GUI thread for File ▸ Open
Recent (:func:`app.window_menus.fill_recent_menu`).

The menu stat'ed every recent path on the GUI thread each time it opened: one on a network share that
no longer answers (unmounted, the server gone) froze the menu and the window with it, for as long as
the share took to give up, if ever. The paths are checked here instead, each on a daemon thread of
its own (a path that never answers holds its own thread only; it is not asked again while it is
still being asked, and nothing waits for it at exit), and their answers kept: the menu is built at
once from what is known, and an entry is put right when its answer comes (:attr:`RecentStates.changed`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from app.relay import ValueRelay

__all__ = ["PathState", "RecentStates", "check_path"]


class PathState(NamedTuple):
    """What a recent path was found to be: there or not, a folder or not."""

    exists: bool
    is_dir: bool


def check_path(path: Path) -> PathState:
    """`path`'s state, from the disk (may take as long as the disk does: call it on a worker)."""
    try:
        exists = path.exists()
        return PathState(exists, exists and path.is_dir())
    except OSError:  # a share that refuses (permission, stale handle): not there to open
        return PathState(False, False)


class RecentStates(QObject):
    """The known states of recent paths, asked on workers (see module doc).

    Signal changed(str): the path (as ``str``) whose answer has just come (GUI thread)."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = ValueRelay()  # parentless: outlives this object while a thread still holds it
        self._relay.done.connect(self._deliver)
        self._known: dict[Path, PathState] = {}
        self._asking: set[Path] = set()

    def state(self, path: Path) -> PathState | None:
        """What `path` was last found to be; None when no answer has come yet."""
        return self._known.get(path)

    def asking(self, path: Path) -> bool:
        """Whether `path` is being checked (its answer not come yet)."""
        return path in self._asking

    def refresh(self, paths: Iterable[Path]) -> None:
        """Check `paths` again on workers (returns at once); one still being checked is left to its
        check. Each answer updates :meth:`state` and emits :attr:`changed`."""
        for path in paths:
            if path in self._asking:
                continue
            self._asking.add(path)
            threading.Thread(target=_ask, args=(self._relay, path), name="fosp-recent-check", daemon=True).start()

    def _deliver(self, answer: tuple[Path, PathState]) -> None:
        path, state = answer
        self._asking.discard(path)
        self._known[path] = state
        self.changed.emit(str(path))


def _ask(relay: ValueRelay, path: Path) -> None:
    state = check_path(path)
    try:
        relay.done.emit((path, state))
    except RuntimeError:  # the window went meanwhile: nobody waits for it
        pass
