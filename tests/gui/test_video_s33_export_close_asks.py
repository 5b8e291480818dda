"""Closing the window while a video's Export frames ran asked nothing (the image Export asks:
`app.annotation.export_close`): the close went on and waited up to a minute for the export to finish, then
stopped it. Now the close asks first in the image Export's words (No keeps both going); once it goes on, the
export stops after the frame being written and is waited for (`VideoExporter.shutdown`, from the window's close
path), the destination left as it was: no partial dataset, an earlier export there whole."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from app.annotation.export_close import STOP_QUESTION
from app.video.exporting import VideoExporter
from fosp_core.data import smokeseg
from fosp_core.video.export import VideoExportReport
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations

WAIT_MS = 20_000
LABELLED = [0, 3, 6, 9]


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_closing_the_window_during_a_video_export_asks_then_stops_it(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0)
    notes = VideoAnnotations(clip, 12, (120, 160), folder=tmp_path / "state")
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in LABELLED:
        notes.save_mask(frame, mask)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    exporter = VideoExporter(window)
    out = tmp_path / "out"
    with qtbot.waitSignal(exporter.finished, timeout=WAIT_MS) as first:  # an earlier export, kept whole
        exporter.export(notes, clip, LABELLED, out, splits=None)
    assert isinstance(first.args[0], VideoExportReport)
    before, beside = _files(out), sorted(os.listdir(tmp_path))
    entered, stopped_seen, calls = threading.Event(), threading.Event(), [0]
    real_write = smokeseg._write_one

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the second frame waits until the export is stopped
        calls[0] += 1
        if calls[0] == 2:
            entered.set()
            for _ in range(300):  # 30 s at most: the old close let it run on up to a minute
                if exporter._stop.wait(0.1):
                    stopped_seen.set()
                    break
        return real_write(*args, **kwargs)

    monkeypatch.setattr(smokeseg, "_write_one", slow)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, title: str, text: str, *_a, **_k):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(f"{title}: {text}")
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    outcomes: list[object] = []
    exporter.finished.connect(outcomes.append)
    try:
        exporter.export(notes, clip, LABELLED, out, overwrite=True, splits=None)
        assert entered.wait(WAIT_MS / 1000)
        assert not window.close()  # No: the window and the export both go on
        assert asked == [": ".join(STOP_QUESTION)]  # was: nothing asked, the window closed
        assert window.isVisible() and exporter.exporting and not stopped_seen.is_set()
        answer[0] = QMessageBox.StandardButton.Yes
        assert window.close()
        assert len(asked) == 2
        exporter.shutdown()  # the window's close path (VideoMode.shutdown): stopped, not let run on
        assert stopped_seen.is_set() and not exporter.exporting
    finally:
        exporter._stop.set()
    qtbot.wait(50)  # a report queued to the GUI thread would arrive here
    assert outcomes == []
    assert _files(out) == before  # the earlier export as it was
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary or moved-aside folder left
