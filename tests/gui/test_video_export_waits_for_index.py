"""The app's video export opens its own reader: it waits for that reader's frame index before its first
read (on a long file the reads failed as 'still being indexed' and the frames were reported skipped), and
the window's close stops that wait (the reader closed, nothing reported)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMainWindow

from app.video.exporting import VideoExporter
from fosp_core.video.export import VideoExportReport
from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.held_scan import HeldScan

WAIT_MS = 10_000
LABELLED = [0, 4, 8, 12]


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[Path, VideoAnnotations]:
    clip = write_clip(tmp_path / "clip.mp4", frames=16, fps=12.0)
    notes = VideoAnnotations(clip, 16, (120, 160), folder=tmp_path / "state")
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in LABELLED:
        notes.save_mask(frame, mask)
    return clip, notes


@pytest.fixture
def exporter(qtbot) -> VideoExporter:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    return VideoExporter(window)


def test_an_export_of_a_video_still_being_indexed_skips_no_frame(
        qtbot, exporter: VideoExporter, labelled: tuple[Path, VideoAnnotations], tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    clip, notes = labelled
    held = HeldScan(monkeypatch)
    waits = held.release_when_waited_for(monkeypatch)
    with qtbot.waitSignal(exporter.finished, timeout=WAIT_MS) as outcome:
        exporter.export(notes, clip, LABELLED, tmp_path / "out", splits=None)
    report = outcome.args[0]
    assert isinstance(report, VideoExportReport), report
    assert report.skipped == [] and report.frames == LABELLED and held.raised == []
    assert waits


def test_closing_the_window_stops_an_export_waiting_for_the_index(
        qtbot, exporter: VideoExporter, labelled: tuple[Path, VideoAnnotations], tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    clip, notes = labelled
    held = HeldScan(monkeypatch)  # never released
    closed: list[Path] = []
    close = VideoFileReader.close
    monkeypatch.setattr(VideoFileReader, "close", lambda r: (closed.append(r.path), close(r))[1])
    outcomes: list[object] = []
    exporter.finished.connect(outcomes.append)
    exporter.export(notes, clip, LABELLED, tmp_path / "out", splits=None)
    qtbot.waitUntil(lambda: bool(held.raised) or getattr(exporter, "waiting_for_index", False), timeout=WAIT_MS)
    exporter.shutdown(timeout_s=0.0)
    qtbot.wait(50)  # a report queued to the GUI thread would arrive here
    assert closed == [clip] and outcomes == [] and held.raised == []
    assert not (tmp_path / "out").exists()
