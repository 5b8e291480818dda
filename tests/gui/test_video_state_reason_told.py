"""``video.json`` failing for one reason, then another (a full disk, then a folder turned read-only): the
second reason is told too, in a dialog whose advice fits it (`app.video.frame_editing`); the same reason
again is not told again (`fosp_core.video.state_saves`)."""

from __future__ import annotations

import errno
import os

import pytest

from app.annotation.close_question import CloseChoice
from fosp_core.io import atomic as atomic_io
from tests.gui.test_hostile_video_keyframe_full_disk import FullDisk, disk  # noqa: F401 - the fixture


def test_another_reason_is_told_with_its_own_advice(disk: FullDisk, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    notes = disk.window.video.annotations
    notes.set_keyframe(0)
    notes.set_keyframe(1)
    notes.finish_saves(wait=True)  # the video.json writes' ends (the save thread's), taken
    assert len(disk.told) == 1 and "disk full" in disk.told[0] and "free some disk space" in disk.told[0]

    def denied(fd: int, data: memoryview) -> int:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(atomic_io, "_write_chunk", denied)
    notes.set_keyframe(2)
    notes.set_keyframe(3)
    notes.finish_saves(wait=True)
    assert len(disk.told) == 2 and "disk full" not in disk.told[1] and "make its folder writable" in disk.told[1]
    assert "not saved" in disk.window.statusBar().currentMessage()
    disk.window.video.editor.ask_close = lambda _parent, _error: CloseChoice.DISCARD  # the teardown's close
