"""Closing the window while a video's frame save or ``video.json`` write is held by a disk that stopped answering
(session 33, after `test_disk_s33_dead_disk_window` for images).

The close waited for them with no bound: `FrameEditor.confirm_close` took a queued ``video.json`` write's end with
``finish_saves(wait=True)``, and closing the video (`VideoFrames.stop_saves`) waited for every frame save: the
window froze for good. Now the close lets them end for `close_waits.STUCK_AFTER_S` (the event loop turning),
then asks the dead-disk close question, naming the frames not on disk yet (in their recovery logs) and the
keyframe marks not written; Close Anyway closes without waiting (the video's saves left to its thread, its lock
left), Cancel keeps the window. The dead disk is an Event released at the end; no wall-clock assert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.annotation import close_waits
from fosp_core.annotation.recovery import log_path
from fosp_core.video import frame_saves
from fosp_core.video.testclip import write_clip
from tests.gui.dead_disk import DeadDisk
from tests.gui.video_helpers import open_video

HELD_S = 20  # the longest the simulated dead disk holds a write (the old close then goes on, and fails the test)




@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _answer(button: str, seen: list[str]) -> None:
    """Once the dead-disk question is up: its words kept in `seen`, then `button` clicked."""
    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "stuck_saves_question":
            seen.append(f"{box.text()}\n{box.informativeText()}")
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()
        else:
            QTimer.singleShot(20, look)
    QTimer.singleShot(0, look)


def _video(qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk, held: str):  # noqa: ANN001, ANN202
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    monkeypatch.setattr(frame_saves, held, disk.hold(getattr(frame_saves, held)))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    return window


def test_closing_with_a_frame_save_stuck_asks_names_the_frame_and_close_anyway_closes(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window = _video(qtbot, make_window, tmp_path, monkeypatch, disk, "_write_frame")
    notes, doc, index = window.video.annotations, window.video.document, window.video.index
    assert notes is not None and doc is not None
    mask = np.zeros(doc.shape, np.uint8)
    mask[20:60, 30:90] = 1
    assert doc.replace_mask(mask)  # returns with the PNG still to write: the disk holds it
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    seen: list[str] = []
    _answer("Close Anyway", seen)
    window.close()
    assert not disk.done.is_set(), "the close waited for the frame's write the disk holds"
    assert not window.isVisible()
    assert len(seen) == 1 and seen[0].startswith("Waiting for the disk"), seen
    assert f"frame {index}" in seen[0] and "recovery log" in seen[0], seen
    assert log_path(notes.mask_path(index)).is_file()  # the edit is in its log: back at the next opening


def test_closing_with_a_frame_save_stuck_and_cancel_keeps_the_window(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window = _video(qtbot, make_window, tmp_path, monkeypatch, disk, "_write_frame")
    doc = window.video.document
    assert doc is not None
    assert doc.replace_mask(np.ones(doc.shape, np.uint8))
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    seen: list[str] = []
    _answer("Cancel", seen)
    assert not window.close()
    assert window.isVisible() and window.video.annotations is not None and len(seen) == 1
    assert not disk.done.is_set()
    disk.released.set()  # the disk answers: the close goes on as usual, nothing asked
    assert window.close()
    assert len(seen) == 1 and disk.done.is_set()


def test_closing_with_the_video_json_write_stuck_asks_and_close_anyway_closes(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window = _video(qtbot, make_window, tmp_path, monkeypatch, disk, "write_state")
    window.video.toggle_keyframe()  # video.json queued on the save thread: the disk holds it
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    seen: list[str] = []
    _answer("Close Anyway", seen)
    window.close()
    assert not disk.done.is_set(), "the close waited for video.json's write the disk holds"
    assert not window.isVisible()
    assert len(seen) == 1 and "keyframe" in seen[0], seen
