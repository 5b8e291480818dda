"""The status bar's 'Opened video …' line fits a 1366 × 768 window: the reader's remarks are given there
by their first words (the Video panel has them in full). Found playing a video annotator's day (QA, Q2)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics

from tests.gui.video_helpers import open_video
from tests.vfr_clip import write_vfr_clip


def test_the_opened_line_of_a_variable_frame_rate_file_fits_a_laptop_window(qtbot, make_window,
                                                                           tmp_path: Path) -> None:
    """A VFR .mkv's line ran to 'Opened video vfr.mkv: 40 frames at 25 fps (variable frame rate: frames play
    one after another at the average rate; the time readout shows each frame's own time; 40 frames in the
    fil' at 1366 px, the rest under the size and zoom readouts."""
    path = tmp_path / "vfr.mkv"
    write_vfr_clip(path)
    window = make_window(show=True)
    window.resize(1366, 768)
    open_video(qtbot, window, path, tmp_path)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: window.zoom_label.text() != "" and window.size_label.text() != "")
    qtbot.wait(50)  # the readouts laid out
    message = bar.currentMessage()
    assert message.startswith("Opened video vfr.mkv") and "variable frame rate" in message
    assert "its header says" in message  # every remark still named
    free = min(w.geometry().left() for w in (window.size_label, window.zoom_label) if w.isVisible())
    assert QFontMetrics(bar.font()).horizontalAdvance(message) < free - 12, message
    assert "frames play one after another" in window.video.panel.info_label.text()  # in full there
