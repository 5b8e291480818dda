"""File ▸ Open Recent stat'ed every recent path on the GUI thread (is_dir for its icon, exists to grey a
path gone) each time the submenu opened: one recent path on a network share that no longer answers froze
the menu and the window with it. The paths are now checked on workers (app/recent_states.py) and the menu
is built at once from what is known; an entry is put right when its answer comes.

The share is simulated: Path.exists / Path.is_dir of one path wait on an Event (a stat that does not
answer); on the GUI thread they give up after a short while so that the failing test ends."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from app.recent import RecentPaths


class HeldShare:
    """Holds Path.exists / Path.is_dir of `path` until `released`; counts the calls per thread kind."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = path
        self.released = threading.Event()
        self.on_gui: list[str] = []
        self.on_workers: list[str] = []
        for name in ("exists", "is_dir"):
            monkeypatch.setattr(Path, name, self._held(getattr(Path, name)))

    def _held(self, real: Callable[..., bool]) -> Callable[..., bool]:
        def stat(path: Path, *args: object, **kwargs: object) -> bool:
            if path == self.path:
                gui = threading.current_thread() is threading.main_thread()
                (self.on_gui if gui else self.on_workers).append(real.__name__)
                self.released.wait(1.0 if gui else 30.0)  # the GUI thread gives up: a failing test ends
            return real(path, *args, **kwargs)
        return stat


def _remembered(settings_path: Path, *paths: Path) -> None:
    """`paths` in the recent list of the settings the window is built with (the last one first)."""
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    recent = RecentPaths(settings)
    for path in paths:
        recent.add(path)
    settings.sync()


def _entry(window, path: Path):
    [entry] = [a for a in window.recent_menu.actions() if a.data() == str(path)]
    return entry


def test_open_recent_opens_at_once_while_a_share_does_not_answer(
    qtbot, make_window, settings_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, share = tmp_path / "here", tmp_path / "share" / "flights"
    here.mkdir()
    share.mkdir(parents=True)
    _remembered(settings_path, share, here)
    held = HeldShare(share.resolve(), monkeypatch)
    try:
        window = make_window()  # builds the menu once
        window.recent_menu.aboutToShow.emit()  # File ▸ Open Recent opened: it is filled again
        assert held.on_gui == []  # was ['is_dir']: the GUI thread waited on the share
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(5)
        qtbot.waitUntil(lambda: len(ticks) >= 3 and bool(held.on_workers))  # the event loop turns meanwhile
        timer.stop()
        assert not held.released.is_set()
        entry = _entry(window, share.resolve())
        assert entry.isEnabled() and "checking" in entry.toolTip()  # not known yet: shown, and said so
        here_entry = _entry(window, here.resolve())
        qtbot.waitUntil(lambda: "checking" not in here_entry.toolTip())  # the other path has answered
        assert here_entry.isEnabled() and here_entry.toolTip() == str(here.resolve())
        shutil.rmtree(share)  # the share is gone when it answers at last
    finally:
        held.released.set()
    qtbot.waitUntil(lambda: not entry.isEnabled())
    assert entry.toolTip().endswith("(not found)")
    window.recent_menu.aboutToShow.emit()  # opened again: shown as last found, at once
    assert not _entry(window, share.resolve()).isEnabled()


def test_a_share_that_does_not_answer_is_asked_once_however_often_the_menu_opens(
    qtbot, make_window, settings_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    _remembered(settings_path, share)
    held = HeldShare(share.resolve(), monkeypatch)
    try:
        window = make_window()
        qtbot.waitUntil(lambda: bool(held.on_workers))
        for _ in range(3):
            window.recent_menu.aboutToShow.emit()
        window.recent.add(share)  # opened again meanwhile: the list changed
        qtbot.wait(50)
        assert held.on_gui == [] and held.on_workers == ["exists"]  # one thread waits; none piled on it
    finally:
        held.released.set()
    entry = _entry(window, share.resolve())
    qtbot.waitUntil(lambda: "checking" not in entry.toolTip())
    assert entry.isEnabled() and entry.toolTip() == str(share.resolve())
