"""A video closed while a disk that does not answer held its saves is left to them (`FrameEditor.leave_saves`):
the status bar said its frames not on disk yet were "in their recovery logs" even when a frame's commit record
was still queued for its log (`log_sync.queue_record`, the append held), in no file yet; and the window's close
then asked only about the shown video (`close_waits.settle_before_close`), so such a record was lost without a
word. Now the words say which frames are not even in a log yet, and the close counts a video left to its saves
whose records are queued: it asks, naming it (Cancel keeps the window). The writes are held on an Event
(`tests.gui.dead_disk.DeadDisk`), released at the end; no wall-clock assert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.annotation import close_waits
from fosp_core.video import frame_saves
from fosp_core.video.testclip import write_clip
from tests.gui.dead_disk import DeadDisk, answering
from tests.gui.video_helpers import open_video

HELD_S = 30  # the longest the simulated dead disk holds a write (a failing test ends then)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def test_a_video_left_with_a_queued_record_is_told_so_and_asked_about_at_the_close(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None
    monkeypatch.setattr(frame_saves, "append_record", disk.hold(frame_saves.append_record))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))  # frame 0's record queued, its append held
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.video.leave()  # back to the images: the video left to its saves
    assert window.video.annotations is None and notes in window.video.editor._leaving
    said = window.statusBar().currentMessage()
    assert "frame 0" in said and "not even in a recovery log yet" in said, said
    assert "(in their recovery logs)" not in said, f"said in its log before it is: {said}"

    seen: list[str] = []
    timer = answering("Cancel", seen)
    closed = window.close()
    timer.stop()
    assert not closed and window.isVisible(), "the close lost the queued record of a video left to its saves"
    assert len(seen) == 1, seen
    assert notes.video.name in seen[0] and "frame 0" in seen[0] and "Not even in a recovery log yet" in seen[0], seen
    assert not disk.done.is_set()
    disk.released.set()  # the disk answers: the video's saves end, the window's teardown closes it as usual
    qtbot.waitUntil(lambda: notes not in window.video.editor._leaving, timeout=20_000)
