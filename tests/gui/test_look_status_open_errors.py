"""A folder with two unreadable files: the message box said "Could not open 2 items." while the status
bar under it said "Could not open 1 item": each file fails on its own (one when listed, one when
decoded), the box adds the second to the first it shows, the status bar counted only the last. The
status bar now counts as the box does while its message is up; once it is gone, it counts afresh."""

from __future__ import annotations

from pathlib import Path

from fosp_core.session import OpenError


def test_status_bar_counts_the_errors_the_box_lists(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.session.record_errors([OpenError(tmp_path / "broken.jpg", "the file is truncated")])
    window.session.record_errors([OpenError(tmp_path / "notes.png", "not a recognised image format")])
    assert window.statusBar().currentMessage() == "Could not open 2 items"


def test_status_bar_counts_afresh_once_its_message_is_gone(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.session.record_errors([OpenError(tmp_path / "broken.jpg", "the file is truncated")])
    window.statusBar().clearMessage()  # its 5 s are up
    window.session.record_errors([OpenError(tmp_path / "notes.png", "not a recognised image format")])
    assert window.statusBar().currentMessage() == "Could not open 1 item"
