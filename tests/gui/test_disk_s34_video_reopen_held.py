"""Opening a video again while the disk holds the saves of its previous opening (session 34).

Closing a video whose frame save a disk that stopped answering holds leaves it to its save thread, its lock kept
until they end (`FrameEditor.leave_saves`). Opening it again before then joined that lock (one owner's openings
share it: `fosp_core.video.folder_lock`) and wrote the folder beside the save thread still writing it: the old
save, once the disk answered, could write its older mask over the new one and remove the log of a newer commit.
Now such an opening is read-only, saying its last edits are still being saved; once they are on disk (said in
the status bar, the lock released), opening it again edits it. The same when the shown video is opened again
(the new opening is prepared before the shown one closes). The write is held on an Event
(`tests.gui.dead_disk.DeadDisk`); no wall-clock assert."""

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

HELD_S = 30


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _held_frame(qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    open_video(qtbot, window, clip, tmp_path)
    monkeypatch.setattr(frame_saves, "_write_frame", disk.hold(frame_saves._write_frame))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None and notes.lock is not None
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    return window, clip, notes, notes.lock.path


def _reopened_read_only(window, old) -> str:  # noqa: ANN001
    notes = window.video.annotations
    assert notes is not None and notes is not old
    assert notes.read_only, "the opening joined the lock the previous opening's held save still uses"
    reason = notes.read_only_reason or ""
    assert "still being saved" in reason, reason
    return reason


def test_opening_a_video_left_to_its_held_saves_is_read_only_until_they_end(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, clip, old, lock_file = _held_frame(qtbot, make_window, tmp_path, monkeypatch, disk)
    window.video.leave()  # left to its save thread, its lock kept
    assert window.video.editor.left_to_its_saves(old) and lock_file.exists()
    open_video(qtbot, window, clip, tmp_path)
    _reopened_read_only(window, old)
    assert "still being saved" in window.statusBar().currentMessage()
    assert not disk.done.is_set()
    disk.released.set()  # the disk answers: the old opening's save ends, its lock goes
    qtbot.waitUntil(lambda: not lock_file.exists(), timeout=20_000)
    window.video.leave()
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    assert notes is not None and not notes.read_only, notes.read_only_reason
    assert np.array_equal(notes.load_mask(0), np.ones(old.shape, np.uint8))  # the held save, on disk


def test_opening_the_shown_video_again_while_its_save_is_held_is_read_only(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, clip, old, lock_file = _held_frame(qtbot, make_window, tmp_path, monkeypatch, disk)
    open_video(qtbot, window, clip, tmp_path)  # prepared before the shown one closes (and is left)
    assert window.video.editor.left_to_its_saves(old)
    _reopened_read_only(window, old)
    assert lock_file.exists() and not disk.done.is_set()
    disk.released.set()
    qtbot.waitUntil(lambda: not lock_file.exists(), timeout=20_000)
