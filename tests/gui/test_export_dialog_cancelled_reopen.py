"""File > Export deletes the dialog of the export before (a child of the window). One still exporting
was deleted on its ``finished`` signal (the dialog's close), but a dialog closed with Cancel while
its export was still stopping had already sent it: reopened before the cancel landed (it lands after
the image being written), that dialog stayed a child of the window for the rest of the session."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.annotation import export_worker
from app.annotation.export_dialog import ExportDialog
from tests.gui.annotation_helpers import demo_window, drag, key


def test_a_dialog_cancelled_then_replaced_before_its_export_stops_is_deleted(
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
    cancelled = []
    first.start()
    first.worker.signals.cancelled.connect(lambda: cancelled.append(True))
    qtbot.waitUntil(entered.is_set, timeout=20000)  # the worker starts once its destination has answered
    first.reject()  # Cancel while the image is written: the dialog closes, the export stops after it
    assert not first.isVisible() and first.worker is not None
    second = window.annotation.open_export_dialog()  # File > Export again at once
    assert second is not None and second is not first
    release.set()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=20000)
    qtbot.wait(50)
    QApplication.sendPostedEvents(None, 0)  # deleteLater done
    assert window.findChildren(ExportDialog) == [second]  # before: the cancelled one too
