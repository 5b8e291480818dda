"""Session 32, an annotator who hears the window through a screen reader: what a key answers is said in
the status bar - "Saved: every edit is on disk" (Ctrl+S), "Nothing to undo on this image" (Ctrl+Z), why a
key is off - and a screen reader reads the status bar only when asked, so each answer went unheard.
Each new status bar message is now announced (Qt's accessibility announcement, polite: it waits for the
speech under way), a message shown again unchanged is not said twice, and a cleared bar says nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QApplication

from tests.gui.keyboard_day_helpers import day_window


def test_what_a_key_answers_is_announced(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    said: list[tuple[str, QAccessible.AnnouncementPoliteness]] = []

    def update(event: QAccessibleEvent) -> None:
        if event.type() == QAccessible.Event.Announcement:
            said.append((event.message(), event.politeness()))

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    window.annotation.actions.save_now.trigger()
    assert [text for text, _ in said][-1:] and said[-1][0].startswith("Saved: every edit is on disk")
    assert said[-1][1] == QAccessible.AnnouncementPoliteness.Polite
    count = len(said)
    window.statusBar().showMessage(window.statusBar().currentMessage())  # unchanged: not said again
    window.statusBar().clearMessage()  # nothing to say
    assert len(said) == count
    window.statusBar().showMessage("Opening cancelled", 4000)
    assert said[-1][0] == "Opening cancelled"
