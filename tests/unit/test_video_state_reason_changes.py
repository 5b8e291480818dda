"""A ``video.json`` whose writes keep failing is told once per reason (`fosp_core.video.state_saves`): a
full disk, then a folder turned read-only, is told twice (the fix differs: free space, then permissions);
the same reason again is not told again."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from fosp_core.annotation.file_writes import write_error
from fosp_core.video import state_saves
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (24, 32)


def test_a_second_failure_with_another_reason_is_told_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 10, SHAPE, folder=tmp_path / "state")
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    failure = {"errno": errno.ENOSPC}

    def write(path: Path, data: bytes) -> None:
        raise write_error(Path(path), OSError(failure["errno"], os.strerror(failure["errno"])))

    monkeypatch.setattr(state_saves, "atomic_write", write)
    notes.set_keyframe(1)
    notes.set_keyframe(2)  # the same reason: not told again
    assert events.count(("state_failed", None)) == 1 and notes.state_error is not None
    assert "disk full" in notes.state_error.reason
    failure["errno"] = errno.EACCES
    notes.set_keyframe(3)  # another reason: told again, with it
    assert events.count(("state_failed", None)) == 2
    assert "disk full" not in notes.state_error.reason
    notes.set_keyframe(4)
    assert events.count(("state_failed", None)) == 2
