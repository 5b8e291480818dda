"""Session 32: the status bar's messages are announced with QAccessibleAnnouncementEvent, which Qt has from
6.8 on, while pyproject allows PySide6 6.6: imported unguarded, it stopped the app from starting there.
Without it, nothing is announced (the status bar is read when asked, as before) and nothing fails."""

from __future__ import annotations

import importlib

import pytest
from PySide6 import QtGui

import app.annotation.spoken_status as spoken_status


def test_without_announcements_the_module_loads_and_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(QtGui, "QAccessibleAnnouncementEvent")
    try:
        module = importlib.reload(spoken_status)
        module.announce(None, "Saved")  # type: ignore[arg-type]  # returns before it looks at the bar
    finally:
        monkeypatch.undo()
        importlib.reload(spoken_status)
    assert hasattr(QtGui, "QAccessibleAnnouncementEvent")
