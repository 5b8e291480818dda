"""In the window: a stroke whose PNG is still queued on the video's save thread when another computer takes
the video over (a real process) is written nowhere in the folder; once that save's end is taken the window
says so as for a stroke refused at once (`app.video.lock_view`): the message names the rescued file, the
status bar says "Read-only video: taken over ...", the tools go off. Before, the queued PNG was written over
the new holder's and the frame's recovery log removed after it, and nothing was said."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.io.masks import read_mask
from fosp_core.video.folder_lock import LOCK_FILE
from tests.gui.test_video_frame_saves_gui import _Held
from tests.gui.test_video_take_over import TAKER, clip, state_of, stroke  # noqa: F401 - clip: a fixture
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.skipif(os.name != "posix", reason="holder processes held open through a pipe")


def test_a_queued_stroke_finds_the_take_over_and_says_where_it_is_kept(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                       clip: Path, monkeypatch) -> None:  # noqa: F811
    held = _Held(monkeypatch)
    window: MainWindow = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    assert notes is not None and not notes.read_only and notes.save_in_background
    state = state_of(tmp_path)
    stroke(window)
    assert held.entered.wait(10)  # its record in the log, its PNG held on the save thread
    proc = subprocess.Popen([sys.executable, "-c", TAKER, str(clip), str(state)], text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "taken"  # the log applied there
        before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (state / "masks").iterdir()}
        held.release.set()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Read-only video: taken over"),
                        timeout=10_000)
        assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in (state / "masks").iterdir()} == before
        assert notes.read_only and notes.locked_by is not None and notes.locked_by.host == "labpc-7"
        told = window.services.error_reporter.errors  # type: ignore[attr-defined]
        assert len(told) == 1 and "its mask is kept in" in told[0].reason
        rescued = list((state / "rescued").glob("clip_000000.*.png"))
        doc = window.annotation.controller.document
        assert len(rescued) == 1 and doc is not None and doc.mask.any()
        assert str(rescued[0]) in told[0].reason
        np.testing.assert_array_equal(read_mask(rescued[0]), doc.mask)  # the stroke kept
        assert not window.annotation.controller.writable
        assert json.loads((state / LOCK_FILE).read_text())["host"] == "labpc-7"
    finally:
        proc.kill()
        proc.wait()
