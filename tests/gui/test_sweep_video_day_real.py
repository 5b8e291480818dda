"""A video annotator's day on the real HPWREN clip (the shared data; skipped in a fresh clone), without a
model: strokes on several frames, an erase, keyframes, carry, undo and redo across frames, then the video
closed right after an edit and opened again: every mask, keyframe and edited mark is there and it resumes on
the frame last shown. The edits' ``video.json`` is written on the save thread (state_saves): the close takes
the pending writes. Session 30's sweep N, kept as a test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag, key
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.shared


def _go(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=10_000, check_params_cb=lambda i: i == index):
        video.seek(index)


def _smoke(window: MainWindow) -> int:
    doc = window.video.document
    assert doc is not None
    return int((doc.mask == 1).sum())


def test_a_day_on_the_hpwren_clip_loses_nothing(qtbot, make_window, tmp_path: Path, shared_data: Path) -> None:  # noqa: ANN001
    clip = tmp_path / "videos" / "hpwren.mp4"
    clip.parent.mkdir()
    shutil.copy(shared_data / "videos" / "hpwren-los-pinos-2019-10-06.mp4", clip)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video, tools = window.video, window.annotation.actions.tools
    assert video.frame_count == 156
    tools[Tool.BRUSH].trigger()
    for index in (40, 41, 42):
        _go(qtbot, window, index)
        drag(window, [(100 + index, 100), (300, 200), (400, 250)], settle=False)
    painted = _smoke(window)
    _go(qtbot, window, 41)
    tools[Tool.ERASER].trigger()
    drag(window, [(300, 200), (400, 250)], settle=False)
    erased = _smoke(window)
    assert 0 < erased < painted
    key(window, "K", settle=False)
    _go(qtbot, window, 43)
    key(window, "C", settle=False)  # frame 42's mask carried
    assert _smoke(window) == painted
    key(window, "Ctrl+Z", settle=False)
    assert _smoke(window) == 0
    _go(qtbot, window, 42)
    key(window, "Ctrl+Z", settle=False)  # frame 42's own history, after frame 43's
    assert _smoke(window) == 0
    key(window, "Ctrl+Shift+Z", settle=False)
    assert _smoke(window) == painted
    _go(qtbot, window, 43)
    key(window, "Ctrl+Shift+Z", settle=False)  # frame 43's redo kept while the playhead was away
    assert _smoke(window) == painted
    key(window, "K", settle=False)
    notes = video.annotations
    assert notes is not None and notes.edited == {40, 41, 42, 43} and notes.keyframes == {41, 43}
    folder = notes.folder
    video.leave()  # right after the edits: the pending PNGs and video.json writes are taken
    state = json.loads((folder / "video.json").read_text())
    assert (state["keyframes"], state["edited"]) == ([41, 43], [40, 41, 42, 43])
    open_video(qtbot, window, clip, tmp_path)
    qtbot.waitUntil(lambda: video.shown_index == 43, timeout=10_000)
    again = video.annotations
    assert again is not None and again.edited == {40, 41, 42, 43} and again.keyframes == {41, 43}
    counts = {i: int((m == 1).sum()) for i in sorted(again.edited) if (m := again.load_mask(i)) is not None}
    assert counts[41] == erased and counts[42] == counts[43] == painted and counts[40] > 0
    assert "back on frame 43" in window.statusBar().currentMessage()
    assert not list(folder.rglob("*.recovery"))
    assert np.array_equal(again.load_mask(42), again.load_mask(43))
