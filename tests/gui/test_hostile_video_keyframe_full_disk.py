"""A keyframe marked while the disk is full (`fosp_core.video.state_saves`, `app.video.frame_editing`). The
mark is shown (the timeline's keyframes hold it) and one dialog says video.json could not be saved (its path
once); once the disk has room the next write of the video's state, or closing the window, writes it, so the
video reopens with the keyframe the user saw marked. It used to be written never (the xfail this test had)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import app.video.frame_editing as frame_editing
from app.main_window import MainWindow
from fosp_core.io import atomic as atomic_io
from tests.gui.test_video_annotation import _write_video
from tests.gui.video_helpers import open_video


@dataclass
class FullDisk:
    """A window with a clip open while every atomic write fails with ENOSPC (as long as `full`); the
    warning dialogs' texts are kept in `told` instead of shown."""

    window: MainWindow
    clip: Path
    full: bool = True
    told: list[str] = field(default_factory=list)


@pytest.fixture()
def disk(qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    """The window of `FullDisk`, its clip written and open, the disk full."""
    window = make_window(show=True)
    clip = _write_video(tmp_path / "clip.avi")
    open_video(qtbot, window, clip, tmp_path)
    disk = FullDisk(window, clip)
    real = atomic_io._write_chunk

    def write_chunk(fd: int, data: memoryview) -> int:
        if disk.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(atomic_io, "_write_chunk", write_chunk)
    monkeypatch.setattr(frame_editing.QMessageBox, "warning", lambda _parent, _title, text: disk.told.append(text))
    monkeypatch.setattr(frame_editing, "tell_quietly", lambda _parent, _title, text: disk.told.append(text))
    return disk


def test_a_keyframe_marked_on_a_full_disk_is_shown_as_it_will_reopen(qtbot, make_window, tmp_path: Path,
                                                                    disk: FullDisk) -> None:
    window, told = disk.window, disk.told
    window.video.toggle_keyframe()  # frame 0
    window.video.annotations.finish_saves(wait=True)  # its video.json write's end (the save thread's), taken
    shown = set(window.video.annotations.keyframes)
    disk.full = False  # the user frees space, then closes
    window.close()

    assert told and "disk full" in told[0]
    again = make_window(show=True)
    open_video(qtbot, again, disk.clip, tmp_path)
    assert again.video.annotations.keyframes == shown


def test_keyframes_marked_while_the_disk_stays_full_are_told_once_and_the_heal_is_said(
        qtbot, make_window, tmp_path: Path, disk: FullDisk) -> None:
    """Three keyframes marked on a full disk: one dialog (naming video.json once), not three; the next mark
    once the disk has room writes them all and the status bar says so."""
    window, told = disk.window, disk.told
    notes = window.video.annotations
    window.video.toggle_keyframe()  # frame 0
    notes.set_keyframe(1)
    notes.set_keyframe(2)
    notes.finish_saves(wait=True)  # the video.json writes' ends (the save thread's), taken
    assert len(told) == 1 and told[0].count("video.json") == 1 and "disk full" in told[0]
    assert "not saved" in window.statusBar().currentMessage()
    disk.full = False
    notes.set_keyframe(3)
    notes.finish_saves(wait=True)
    assert "up to date again" in window.statusBar().currentMessage()
    window.close()
    assert len(told) == 1
    again = make_window(show=True)
    open_video(qtbot, again, disk.clip, tmp_path)
    assert again.video.annotations.keyframes == {0, 1, 2, 3}


def test_a_keyframe_still_unsaved_when_the_video_closes_is_said_lost(disk: FullDisk) -> None:
    """Closing the video (back to images) tries once more and says what is lost; closing the window asks
    first (tests/gui/test_video_close_unsaved_state.py)."""
    disk.window.video.toggle_keyframe()
    disk.window.video.annotations.finish_saves(wait=True)  # its video.json write's end (the save thread's)
    disk.window.video.leave()  # tried once more at close: still full
    assert len(disk.told) == 2 and "are lost" in disk.told[1] and disk.told[1].count("video.json") == 1
