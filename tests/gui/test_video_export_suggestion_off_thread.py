"""The video's Export frames dialog suggested its destination after `default_destination` had asked the disk
whether the video's folder may be written, on the GUI thread, at the dialog's opening (a dead network drive
froze the window before the dialog showed). The suggestion is worked out on a thread now: the dialog shows the
plain one at once, replaced by the answer unless the user chose another; OK pressed before it waits for it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.annotation import free_folder
from app.video.export_dialog import VideoExportDialog
from tests.gui.test_video_export_checks_off_thread import _video_window
from tests.gui.test_video_export_dialog import _answer

COUNTS = {"keyframes": 3, "edited": 3}


def test_opening_the_dialog_asks_the_disk_nothing_on_the_gui_thread(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window, clip = _video_window(qtbot, make_window, tmp_path)
    asked: list[str] = []
    real = free_folder.writable_folder
    monkeypatch.setattr(free_folder, "writable_folder",
                        lambda folder: (asked.append(threading.current_thread().name), real(folder))[1])
    shown: list[str] = []

    def steps(dialog: VideoExportDialog) -> None:
        shown.append(dialog.dst.text())  # at once: the plain suggestion
        qtbot.waitUntil(lambda: bool(asked), timeout=10000)
        dialog.reject()

    _answer(monkeypatch, steps)
    window.video.export_dialog()
    assert asked and threading.current_thread().name not in asked  # was: MainThread, at the opening
    assert shown == [str(clip.parent / "clip-smokeseg")]


def _suggesting(monkeypatch: pytest.MonkeyPatch, release: threading.Event, suggested: Path) -> None:
    """The probe's free destination is `suggested`, once `release` is set."""
    monkeypatch.setattr(free_folder, "free_destination", lambda _folder: (release.wait(10), suggested)[1])


def test_ok_before_the_suggestion_waits_for_it_and_takes_it(qtbot, tmp_path: Path,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    suggested = tmp_path / "home" / "clip-smokeseg"
    _suggesting(monkeypatch, release, suggested)
    dialog = VideoExportDialog(tmp_path / "clip-smokeseg", COUNTS, suggest_free=True)
    qtbot.addWidget(dialog)
    dialog.ok_button.click()
    assert dialog.checking and not dialog.ok_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
    assert dialog.dst.text() == str(suggested)
    assert dialog.result() == VideoExportDialog.DialogCode.Accepted


def test_a_destination_typed_before_the_suggestion_is_kept(qtbot, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    _suggesting(monkeypatch, release, tmp_path / "home" / "clip-smokeseg")
    dialog = VideoExportDialog(tmp_path / "clip-smokeseg", COUNTS, suggest_free=True)
    qtbot.addWidget(dialog)
    dialog.dst.setText(str(tmp_path / "mine"))
    release.set()
    qtbot.wait(300)
    assert dialog.dst.text() == str(tmp_path / "mine")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
    assert dialog.result() == VideoExportDialog.DialogCode.Accepted and dialog.dst.text() == str(tmp_path / "mine")
