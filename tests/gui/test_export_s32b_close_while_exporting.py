"""Closing the window while Annotate > Export ran asked nothing and did not stop it (AnnotationUI.close cancelled a
running import only): the projects closed under the export still reading their masks, and the export went on
writing after the window had gone. Now the close asks first, as for a running fine-tune (No keeps both going);
Yes stops the export after the image being written and waits for it, the destination left as it was (the writer's
all-or-nothing replace: an earlier export there stays whole), before the projects close."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from app.annotation.export_worker import ExportWorker
from fosp_core.data import smokeseg
from tests.gui.test_export_s32_user_day import (
    _export,
    _files,
    window,  # noqa: F401 - the fixture
)


def test_closing_the_window_during_an_export_asks_then_stops_it_cleanly(qtbot, window,  # noqa: ANN001, F811
                                                                         tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    dialog, reports = _export(qtbot, window, out)  # an earlier export: replaced only by a whole new one
    assert reports and dialog.error is None
    before, beside = _files(out), sorted(os.listdir(tmp_path))
    entered, gate, calls = threading.Event(), threading.Event(), [0]
    real_write, real_cancel = smokeseg._write_one, ExportWorker.cancel

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the second image waits for the cancel
        calls[0] += 1
        if calls[0] == 2:
            entered.set()
            gate.wait(30)
        return real_write(*args, **kwargs)

    def cancel(worker: ExportWorker) -> None:
        real_cancel(worker)
        gate.set()

    monkeypatch.setattr(smokeseg, "_write_one", slow)
    monkeypatch.setattr(ExportWorker, "cancel", cancel)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, title: str, text: str, *_a, **_k):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(f"{title}: {text}")
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    try:
        dialog, _reports = _export(qtbot, window, out, replace=True, wait=False)
        qtbot.waitUntil(entered.is_set, timeout=20000)
        assert not window.close()  # No: both go on
        assert len(asked) == 1 and "export" in asked[0].lower()  # was: nothing asked
        assert window.isVisible() and dialog.worker is not None and not gate.is_set()
        worker, answer[0] = dialog.worker, QMessageBox.StandardButton.Yes
        assert window.close()
        assert len(asked) == 2 and gate.is_set()  # cancelled: was left running after the window closed
        assert worker.ended.is_set()  # and waited for, before the projects closed
    finally:
        gate.set()
        QThreadPool.globalInstance().waitForDone(30000)
    assert _files(out) == before  # the earlier export as it was
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary or moved-aside folder left
