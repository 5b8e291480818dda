"""Leaving a video (back to the images) while a disk that does not answer holds a frame's save: the switch lets
it end for `close_waits.STUCK_AFTER_S`, then leaves the video to its save thread (`FrameEditor.leave_saves`):
the status bar names the frames not on disk yet (in their recovery logs), the lock stays until the disk
answers, and is released then (said). The dead disk is an Event the test releases; no wall-clock assert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.annotation import close_waits
from fosp_core.video import frame_saves
from fosp_core.video.testclip import write_clip
from tests.gui.dead_disk import DeadDisk
from tests.gui.video_helpers import open_video


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(60)
    yield dead
    dead.released.set()


def test_leaving_tells_the_frames_held_and_lets_the_lock_go_once_the_disk_answers(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)  # the switch's wait (2 s) for the held save: its end
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    monkeypatch.setattr(frame_saves, "_write_frame", disk.hold(frame_saves._write_frame))
    doc = window.video.document
    notes = window.video.annotations
    assert doc is not None and notes is not None
    lock_file = notes.lock.path if notes.lock is not None else None
    assert lock_file is not None and lock_file.exists()
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.video.leave()
    assert not disk.done.is_set(), "leaving the video waited for the frame's write the disk holds"
    assert not window.video.active
    said = window.statusBar().currentMessage()
    assert "frame 0 (in their recovery logs)" in said and "clip.mp4" in said and "does not answer" in said, said
    assert lock_file.exists(), "the lock went while the video's save thread may still write its folder"
    disk.released.set()  # the disk answers
    qtbot.waitUntil(lambda: not lock_file.exists(), timeout=10_000)
    assert notes.mask_path(0).exists()
    assert "on disk now" in window.statusBar().currentMessage()


def test_leaving_with_no_save_held_says_nothing_of_the_disk(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    doc, notes = window.video.document, window.video.annotations
    assert doc is not None and notes is not None
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))
    window.video.leave()
    assert "does not answer" not in window.statusBar().currentMessage()
    assert notes.mask_path(0).exists()
    assert notes.lock is None or not notes.lock.path.exists()
