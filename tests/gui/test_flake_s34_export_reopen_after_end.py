"""File > Export again while the export of a dialog closed with Cancel has just ended: its end signal is on its
way to the GUI thread (emitted on the pool thread, not handled yet), so the dialog still holds its worker. The
reopen connected the old dialog's deleteLater to the worker's end signals, emitted already: that dialog was never
deleted and stayed a child of the window for the rest of the session (a loaded machine makes the window wide)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.annotation import export_worker
from app.annotation.export_dialog import ExportDialog
from tests.gui.annotation_helpers import demo_window, drag, key


def test_a_dialog_whose_export_ended_unhandled_when_replaced_is_deleted(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    entered, release = threading.Event(), threading.Event()

    def slow_export(*_args, progress, **_kwargs):  # noqa: ANN002, ANN003, ANN202 - an image being written
        entered.set()
        release.wait(20)
        progress(1, 2)  # raises: the cancel lands

    monkeypatch.setattr(export_worker, "export_smokeseg", slow_export)
    first = window.annotation.open_export_dialog()
    assert first is not None
    first.dst.setText(str(tmp_path / "out"))
    first.start()
    worker = first.worker
    assert worker is not None
    qtbot.waitUntil(entered.is_set, timeout=20000)  # the worker starts once its destination has answered
    first.reject()  # Cancel while the image is written: the dialog closes, the export stops after it
    release.set()
    assert worker.ended.wait(20)  # its end signal emitted on the pool thread, not handled on this one yet
    assert first.worker is worker and not first.isVisible()
    second = window.annotation.open_export_dialog()  # File > Export again, before the end is handled
    assert second is not None and second is not first
    qtbot.waitUntil(lambda: first.worker is None, timeout=20000)  # the end handled (before the deletion)
    assert window.statusBar().currentMessage().startswith("Export cancelled")  # and said, as before
    qtbot.wait(50)
    QApplication.sendPostedEvents(None, 0)  # deleteLater done
    assert window.findChildren(ExportDialog) == [second]  # before: the ended one too
