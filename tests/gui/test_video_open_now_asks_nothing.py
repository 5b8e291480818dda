"""A video opened while the caller waits (`app.video.opening.VideoOpening.open`: ``python main.py
--screenshot`` and scripts) whose folder another computer's lock holds opens read-only without the Take
Over question: a modal question there held the screenshot's window forever (no one to answer it). The
window's own opens still ask (tests/gui/test_video_take_over.py)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_take_over import Answers, state_of

pytestmark = pytest.mark.skipif(os.name != "posix", reason="as test_video_take_over")


def test_a_waited_for_open_asks_nothing(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window: MainWindow = make_window(show=True)
    window.video.state_root = tmp_path / "video-state"
    lock = state_of(tmp_path) / LOCK_FILE
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}))
    asked = window.video.lock_view.ask = Answers(True)
    assert window.video.open(clip)
    assert asked.asked == []  # before: the question, modal
    notes = window.video.annotations
    assert notes is not None and notes.read_only and "labpc-7" in str(notes.read_only_reason)
    assert window.video.lock_view.action.isEnabled()  # Take Over… is there for whoever looks
    window.video.leave()
