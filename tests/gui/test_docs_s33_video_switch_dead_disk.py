"""docs/saving.md ('The disk stops answering') says closing a video alone, by going back to the images or opening
something else, still waits for its frame saves: `VideoView.close_video` -> `FrameEditor.stop_saves` ->
`BackgroundFrameSaves.stop_saves` -> ``finish_saves(wait=True)``, with no bound. On a disk that stopped answering
the window then freezes for good, which the window's close no longer does (a6b3bb42). This test holds the
product to what the window's close does (session 33, D1: reported; fixed by V3: the switch lets the saves end for
`close_waits.STUCK_AFTER_S`, then leaves the video to its save thread, `FrameEditor.leave_saves`). The dead disk is an Event, released after `HELD_S` at most; no wall-clock assert."""

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

HELD_S = 3  # the longest the simulated dead disk holds a write (the switch then goes on, and the test fails)




@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def test_leaving_a_video_whose_frame_save_the_disk_holds_does_not_wait_for_it(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)  # the switch's wait (2 s) for the held save: its end
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    monkeypatch.setattr(frame_saves, "_write_frame", disk.hold(frame_saves._write_frame))
    doc = window.video.document
    assert doc is not None
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))  # returns with the PNG still to write: the disk holds it
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.video.leave()  # back to the images, as the image list or Open does
    assert not disk.done.is_set(), "leaving the video waited for the frame's write the disk holds"
