"""A status-bar message longer than its room (a 1280 px window: "Opened video clip.mp4 … labels of this video
are kept in /tmp/…") was cut mid-word with no "…" (QStatusBar draws it clipped). It is now drawn elided, a path
in it losing its middle (else the text its end), and the whole text is the bar's tooltip and accessible
description while it shows."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QMainWindow

from app.status_readouts import MessageRoom

LONG = ("Opened video clip.mp4: 156 frames. Its folder cannot be written: labels of this video are kept in "
        "/tmp/fosp-home/.cache/fosp/video-labels/3f2a9c1d/clip.mp4.labels/masks (copy them back when done)")


def _bar(qtbot, width: int):  # noqa: ANN001, ANN202
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(width, 300)
    bar = window.statusBar()
    for text in ("1 / 4", "1920 × 1080", "zoom 100%"):
        label = QLabel(text)
        label.setContentsMargins(10, 0, 10, 0)
        bar.addPermanentWidget(label)
    room = MessageRoom(bar)
    window.show()
    qtbot.waitExposed(window)
    return window, bar, room


def test_a_long_message_is_elided_in_its_path_and_said_whole_in_the_tooltip(qtbot) -> None:  # noqa: ANN001
    _window, bar, room = _bar(qtbot, 1280)
    bar.showMessage(LONG)
    qtbot.wait(20)
    assert bar.toolTip() == LONG and bar.accessibleDescription() == LONG
    shown = room.shown_message()
    assert "…" in shown and shown.startswith("Opened video clip.mp4: 156 frames.")
    assert shown.endswith("(copy them back when done)"), shown  # the path lost its middle, not the end
    assert QFontMetrics(bar.font()).horizontalAdvance(shown) <= room.message_rect().width()
    assert room.message_rect().right() < min(w.x() for w in bar.findChildren(QLabel) if w.isVisible())
    bar.grab()  # painted elided without an error
    bar.showMessage("Saved")
    qtbot.wait(20)
    assert room.shown_message() == "Saved" and bar.toolTip() == "" and bar.accessibleDescription() == ""


def test_without_a_path_the_end_is_elided() -> None:
    from PySide6.QtGui import QFont

    from app.status_readouts import fitted_message  # (new in this fix)

    metrics = QFontMetrics(QFont())
    text = "word " * 80
    shown = fitted_message(text, metrics, 300)
    assert shown.endswith("…") and metrics.horizontalAdvance(shown) <= 300
    assert fitted_message("short", metrics, 300) == "short"
