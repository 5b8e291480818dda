"""The window-wide keyboard and screen-reader helpers (a dock behind a tab shown when the focus enters it,
each status-bar message said to a screen reader, the keys to the image after an opening) are the window's:
MainWindow installs them (app.window_focus), once each, whatever view shows a message or a dock. They were
made by the annotation view, which reached the window's opener with getattr."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent

from app.annotation.focus_after_opening import KeysToImageAfterOpening
from app.annotation.focus_shows_dock import FocusShowsDock
from app.annotation.spoken_status import SpokenStatus

from .conftest import WindowFactory


def test_the_window_installs_each_helper_once(make_window: WindowFactory) -> None:
    window = make_window()
    helpers = window.window_focus
    assert window.findChildren(FocusShowsDock) == [helpers.focus_shows_dock]
    assert window.findChildren(KeysToImageAfterOpening) == [helpers.keys_after_opening]
    assert window.statusBar().findChildren(SpokenStatus) == [helpers.spoken_status]


def test_a_status_bar_message_is_said_once(make_window: WindowFactory, monkeypatch) -> None:  # noqa: ANN001
    window = make_window()
    said: list[str] = []

    def update(event: QAccessibleEvent) -> None:
        if event.type() == QAccessible.Event.Announcement:
            said.append(event.message())

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    window.statusBar().showMessage("Opened 4 images", 4000)
    assert said == ["Opened 4 images"]
