"""A stroke's save still on the video's save thread when another computer takes the video over, its end
taken only as the video closes (back to the images, or the window closing): the refusal is told in a
message (the error reporter) naming the rescued file, as while the video is open. Before, the lock view
dropped the event once the video was gone and only the status bar said "Could not save frame ..."."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.io.masks import read_mask
from tests.gui.test_video_frame_saves_gui import _Held
from tests.gui.test_video_take_over import TAKER, clip, state_of, stroke  # noqa: F401 - clip: a fixture
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.skipif(os.name != "posix", reason="holder processes held open through a pipe")


@pytest.mark.parametrize("how", ["leave", "window"])
def test_a_refusal_found_as_the_video_closes_is_told_with_the_rescued_file(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch, how: str) -> None:  # noqa: ANN001, F811
    held = _Held(monkeypatch)
    window: MainWindow = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    assert notes is not None and notes.save_in_background
    state = state_of(tmp_path)
    stroke(window)
    doc = window.annotation.controller.document
    assert doc is not None and doc.mask.any()
    stroked = doc.mask.copy()
    assert held.entered.wait(10)  # its PNG held on the save thread
    proc = subprocess.Popen([sys.executable, "-c", TAKER, str(clip), str(state)], text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "taken"
        threading.Timer(0.3, held.release.set).start()  # the save ends while the close waits for it
        if how == "leave":
            window.video.leave()
        else:
            window.close()
        assert window.video.annotations is None and notes.lost_lock
        told = window.services.error_reporter.errors  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: len(told) >= 1, timeout=3000)
        rescued = list((state / "rescued").glob("clip_000000.*.png"))
        assert len(rescued) == 1
        np.testing.assert_array_equal(read_mask(rescued[0]), stroked)  # the stroke kept there
        assert len(told) == 1 and str(rescued[0]) in told[0].reason and "taken over" in told[0].reason
        qtbot.wait(50)  # nothing more told later (the deferred word of an open video)
        assert len(told) == 1
    finally:
        proc.kill()
        proc.wait()
