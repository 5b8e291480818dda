"""A video's ``video.json`` that cannot be written (a full disk) mid-session (`fosp_core.video.state_saves`):
every write of it (a keyframe marked, a frame's first mask saved inline or in the background, a frame undone
back to nothing, a refresh) keeps the change in memory, tells it once (one ``state_failed`` event however
many writes fail), never fails the mask save around it, and writes it at the next write once the disk has
room (a later commit of a frame already edited too), saying so (``state_saved``): reopening reads what was
shown."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.file_writes import atomic_write as real_atomic_write
from fosp_core.annotation.file_writes import write_error
from fosp_core.video import state_saves
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (24, 32)


class _Disk:
    """video.json's writes fail with ENOSPC while `full` (the masks' writes go on)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = True
        self.tries = 0

        def write(path: Path, data: bytes) -> None:
            self.tries += 1
            if self.full:
                raise write_error(Path(path), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
            real_atomic_write(path, data)

        monkeypatch.setattr(state_saves, "atomic_write", write)


def _notes(tmp_path: Path, background: bool = False) -> tuple[VideoAnnotations, list[tuple[str, int | None]]]:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 10, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = background
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    return notes, events


def _reopen(tmp_path: Path) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "cam.mp4", 10, SHAPE, folder=tmp_path / "state")


def _square(value: int = 1) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:12, 4:12] = value
    return mask


def test_keyframes_marked_on_a_full_disk_are_told_once_and_written_at_the_next_write(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    notes, events = _notes(tmp_path)
    notes.save_state()
    disk = _Disk(monkeypatch)
    for frame in (1, 4, 6):
        notes.set_keyframe(frame)  # no raise: kept in memory
    assert notes.keyframes == {1, 4, 6} and disk.tries == 3
    assert events.count(("state_failed", None)) == 1 and ("state_saved", None) not in events
    error = notes.state_error
    assert error is not None and error.reason == "cannot write: disk full"
    assert str(error).count("video.json") == 1  # the path said once
    assert _reopen(tmp_path).keyframes == set()  # not on disk yet
    disk.full = False
    notes.set_keyframe(6, False)
    assert notes.state_error is None and events.count(("state_saved", None)) == 1
    assert _reopen(tmp_path).keyframes == {1, 4}


def test_flush_state_raises_while_the_disk_is_full_and_writes_once_it_has_room(tmp_path: Path, monkeypatch) -> None:
    notes, events = _notes(tmp_path)
    disk = _Disk(monkeypatch)
    notes.set_keyframe(2)
    with pytest.raises(VideoAnnotationError, match="disk full"):
        notes.flush_state()
    assert events.count(("state_failed", None)) == 1
    disk.full = False
    notes.flush_state()
    assert _reopen(tmp_path).keyframes == {2} and ("state_saved", None) in events


def test_a_commit_of_a_frame_already_edited_writes_the_pending_state(tmp_path: Path, monkeypatch) -> None:
    notes, events = _notes(tmp_path)
    doc = notes.document(3)
    doc.replace_mask(_square())  # frame 3 edited and saved while the disk had room
    disk = _Disk(monkeypatch)
    notes.set_keyframe(3)
    disk.full = False
    doc.replace_mask(_square(255))  # no new mark: the commit writes no state of its own, the pending one goes
    assert notes.state_error is None and ("state_saved", None) in events
    assert _reopen(tmp_path).keyframes == {3}


@pytest.mark.parametrize("background", [False, True])
def test_a_first_mask_saved_on_a_full_disk_is_saved_and_marked_edited(tmp_path: Path, monkeypatch,
                                                                     background: bool) -> None:
    """The mask's own save works (only video.json cannot be written): it is not told as failed and its
    'edited' event comes (the state's error raised out of the mask save and skipped both)."""
    notes, events = _notes(tmp_path, background)
    disk = _Disk(monkeypatch)
    notes.document(5).replace_mask(_square())
    notes.finish_saves(wait=True)
    assert ("edited", 5) in events and ("save_failed", 5) not in events and notes.last_error is None
    assert ("saved", 5) in events and notes.edited == {5}
    assert events.count(("state_failed", None)) == 1
    notes.stop_saves()
    disk.full = False
    notes.retry_state()
    assert json.loads((tmp_path / "state" / "video.json").read_text())["edited"] == [5]


def test_a_frame_undone_back_to_nothing_on_a_full_disk_reopens_unmarked(tmp_path: Path, monkeypatch) -> None:
    notes, events = _notes(tmp_path)
    doc = notes.document(7)
    doc.replace_mask(_square())
    disk = _Disk(monkeypatch)
    assert doc.undo()  # the mask removed, the mark dropped in memory; video.json still says edited
    assert notes.edited == set() and ("edited", 7) in events and ("save_failed", 7) not in events
    assert _reopen(tmp_path).edited == {7}
    disk.full = False
    notes.retry_state()  # as the video closing does
    assert _reopen(tmp_path).edited == set()


def test_a_refresh_on_a_full_disk_keeps_the_marks_it_found(tmp_path: Path, monkeypatch) -> None:
    notes, events = _notes(tmp_path)
    other = _reopen(tmp_path)
    other.document(2).replace_mask(_square())  # another program saved frame 2's mask
    _Disk(monkeypatch)
    notes.refresh()  # raised before
    assert notes.edited == {2} and events.count(("state_failed", None)) == 1
