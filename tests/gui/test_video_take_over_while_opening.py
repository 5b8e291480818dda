"""Annotate ▸ Take Over… on the video shown while another video is still opening (its packets being
indexed): the other opening is dropped and the shown video reopened taking the lock (`app.video.lock_view`,
`app.video.opening.open_async`). Before, asking to open the video shown while another opened only cancelled
that other opening ('the video open behind it: shown again as it was'), so Take Over did nothing at all:
the video stayed read-only, and no word said so."""

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
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

pytestmark = pytest.mark.skipif(os.name != "posix", reason="as test_video_take_over")


def test_take_over_while_another_video_opens_reopens_the_shown_one(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    clip, other = write_clip(tmp_path / "clip.mp4", frames=12), write_clip(tmp_path / "other.mp4", frames=12)
    window: MainWindow = make_window(show=True)
    lock = state_of(tmp_path) / LOCK_FILE
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}))
    window.video.lock_view.ask = Answers(False)
    open_video(qtbot, window, clip, tmp_path)
    assert window.video.annotations is not None and window.video.annotations.read_only
    held = HeldScan(monkeypatch)
    window.video.open_async(other)  # still indexing: in flight
    assert window.video.opening == other
    window.video.lock_view.ask = yes = Answers(True)
    window.video.lock_view.take_over()
    assert len(yes.asked) == 1
    assert window.video.opening == clip  # before: None, the other opening cancelled and nothing reopened
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        held.gate.set()
    notes = window.video.annotations
    assert notes is not None and not notes.read_only and json.loads(lock.read_text())["pid"] == os.getpid()
    window.video.leave()
