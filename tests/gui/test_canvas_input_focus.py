"""Space held anywhere in the canvas' window, seen without a Python event filter on the whole
application (which ran for every event of every object: paints, timers, the workers' queued calls,
300-700 a second during video playback or a model run, ``bench/bench_event_loop.py``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from app.annotation.canvas_input import CanvasInput

from .conftest import WindowFactory


def _spy(monkeypatch, canvas_input: CanvasInput, seen: list[QObject]) -> None:  # noqa: ANN001
    """Record what `canvas_input` filters (on the instance: PySide caches a class's override)."""
    original = canvas_input.eventFilter

    def spy(watched: QObject, event: QEvent) -> bool:
        seen.append(watched)
        return original(watched, event)

    monkeypatch.setattr(canvas_input, "eventFilter", spy)


def test_other_objects_events_do_not_reach_the_canvas_input(qtbot, make_window: WindowFactory, monkeypatch) -> None:
    window = make_window(show=True)
    seen: list[QObject] = []
    _spy(monkeypatch, window.annotation.controller.input, seen)
    other = QObject()
    QCoreApplication.sendEvent(other, QEvent(QEvent.Type.User))  # a worker's queued call, a timer...
    QCoreApplication.sendEvent(window.statusBar(), QEvent(QEvent.Type.User))  # a widget of the window
    assert not any(watched is other or watched is window.statusBar() for watched in seen)
    QCoreApplication.sendEvent(window.canvas.viewport(), QEvent(QEvent.Type.User))  # its own still do
    assert any(watched is window.canvas.viewport() for watched in seen)


def test_space_counts_wherever_the_focus_is_in_the_canvas_window(qtbot, make_window: WindowFactory) -> None:
    window = make_window(show=True)
    canvas_input = window.annotation.controller.input
    for widget in (window.image_list, window.canvas, window.image_list):
        widget.setFocus()
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w)
        QTest.keyPress(widget, Qt.Key.Key_Space)
        assert canvas_input.space_held
        QTest.keyRelease(widget, Qt.Key.Key_Space)
        assert not canvas_input.space_held
    watched = canvas_input.focus_filter.watched  # the window and its focus widget, no more
    assert len(watched) == 2 and watched[0] is window and watched[1] is window.image_list

    other = QLineEdit()  # another window: its Space is its own
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    other.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is other)
    QTest.keyPress(other, Qt.Key.Key_Space)
    assert not canvas_input.space_held and other.text() == " "
    QTest.keyRelease(other, Qt.Key.Key_Space)
