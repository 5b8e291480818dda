"""Closing the window while an image export's write is held by a disk that stopped answering (session 33, after
`test_disk_s33_dead_disk_window` and `test_export_s32b_close_while_exporting`).

Once the user agreed to stop the export, the close cancelled it and waited for its thread with no bound
(`ExportDialog.stop_and_wait`: ``worker.ended.wait()``): an image write that the destination's disk held froze
the window for good. The close now waits `CLOSE_WAIT_S` at most and leaves the cancelled export to its thread
(it only reads the project, which stays readable once closed); once the disk answers it stops after the image
being written and its writer removes its unfinished copy, the destination left as it was. The dead disk is an
Event released at the end; no wall-clock assert."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from app.annotation import export_dialog
from fosp_core.data import smokeseg
from tests.gui.test_export_s32_user_day import (
    _export,
    _files,
    window,  # noqa: F401 - the fixture
)

HELD_S = 20  # the longest the simulated dead disk holds a write (the old close then goes on, and fails the test)


def test_closing_while_the_export_s_write_is_stuck_does_not_wait_for_it(qtbot, window,  # noqa: ANN001, F811
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    dialog, reports = _export(qtbot, window, out)  # an earlier export: left whole by a stopped one
    assert reports and dialog.error is None
    before, beside = _files(out), sorted(os.listdir(tmp_path))
    stuck, released, done, calls = threading.Event(), threading.Event(), threading.Event(), [0]
    real_write = smokeseg._write_one

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the second image's write: the disk holds it
        calls[0] += 1
        if calls[0] == 2:
            stuck.set()
            released.wait(HELD_S)
            done.set()
        return real_write(*args, **kwargs)

    monkeypatch.setattr(smokeseg, "_write_one", held)
    monkeypatch.setattr(export_dialog, "CLOSE_WAIT_S", 0.05, raising=False)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    try:
        dialog, _reports = _export(qtbot, window, out, replace=True, wait=False)
        qtbot.waitUntil(stuck.is_set, timeout=20000)
        worker = dialog.worker
        assert worker is not None
        assert window.close()  # Yes: stop it
        assert not done.is_set(), "the close waited for the export's write the disk holds"
        assert not window.isVisible() and worker.cancelling and not worker.ended.is_set()
        released.set()
        assert worker.ended.wait(30)  # it stops once the disk answers
    finally:
        released.set()
        QThreadPool.globalInstance().waitForDone(30000)
    assert _files(out) == before  # the earlier export as it was
    assert sorted(os.listdir(tmp_path)) == beside  # its unfinished copy removed
