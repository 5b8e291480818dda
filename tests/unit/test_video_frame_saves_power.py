"""Video frame saves (`fosp_core.video.frame_saves`, `fosp_core.video.timeline`) under a power loss (and a
record that cannot be appended, last test): a
removal of a mask file or of its recovery log is durable only once the mask folder is fsynced after it.

`_FolderDisk` wraps ``os.fsync``: each fsync of the video's mask folder snapshots the folder's files (names
and bytes: every file there was fsynced before it was put in place, as `atomic_write` and `sync_log` do);
a power loss leaves the mask folder as the last such snapshot. Linux only (a path read from ``/proc``).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.video.timeline import VideoAnnotations

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

SHAPE = (48, 64)
_REAL_FSYNC = os.fsync


class _FolderDisk:
    """What the fsyncs of one mask folder made durable (see module doc)."""

    def __init__(self, masks: Path) -> None:
        self.masks = masks
        self.snapshot: dict[str, bytes] = {}

    def fsync(self, fd: int) -> None:
        _REAL_FSYNC(fd)
        if not stat.S_ISDIR(os.fstat(fd).st_mode) or os.readlink(f"/proc/self/fd/{fd}") != str(self.masks):
            return
        self.snapshot = {p.name: p.read_bytes() for p in self.masks.iterdir() if p.is_file()}

    def power_copy(self, state: Path, to: Path) -> Path:
        """The state folder as a power loss leaves it (its video.json is written durably: as it is)."""
        shutil.copytree(state, to, ignore=shutil.ignore_patterns("masks"))
        (to / "masks").mkdir()
        for name, data in self.snapshot.items():
            (to / "masks" / name).write_bytes(data)
        return to


def _disc() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[12:28, 12:28] = 1
    return mask


@pytest.mark.parametrize("background", [True, False])
def test_a_frame_undone_back_to_nothing_stays_without_a_mask_after_a_power_loss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background: bool) -> None:
    state = tmp_path / "state"
    disk = _FolderDisk(state / "masks")
    monkeypatch.setattr(os, "fsync", disk.fsync)
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    notes.save_in_background = background
    doc = notes.document(4)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)  # the PNG written and fsynced, its log removed
    assert notes.mask_path(4).is_file() and not log_path(notes.mask_path(4)).exists()
    doc.undo()  # back to nothing: the mask and the mark removed
    assert not notes.mask_path(4).exists() and notes.edited == set() and notes.last_error is None
    notes.stop_saves()
    copy = disk.power_copy(state, tmp_path / "after")
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=copy)
    assert again.load_mask(4) is None  # the undone mask came back: the removal was not durable
    assert again.edited == set()


def test_a_removal_that_cannot_be_made_durable_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    state = tmp_path / "state"
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    notes.save_in_background = True
    doc = notes.document(4)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode) and os.readlink(f"/proc/self/fd/{fd}") == str(state / "masks"):
            raise OSError(errno.EIO, "Input/output error")
        _REAL_FSYNC(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    doc.undo()
    assert not notes.mask_path(4).exists() and notes.edited == set() and not notes.has_mask(4)
    assert notes.last_error is not None and "cannot make it durable" in notes.last_error.reason
    assert events == [("edited", 4), ("save_failed", 4)]
    notes.stop_saves()


def test_a_commit_whose_record_could_not_be_written_is_saved_when_the_video_closes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation.storage import StorageError
    from fosp_core.video import frame_saves

    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = True
    real = frame_saves.append_record

    def full(path: Path, line: bytes, **kw: object) -> None:
        raise StorageError(path, "cannot write: disk full")

    monkeypatch.setattr(frame_saves, "append_record", full)
    doc = notes.document(4)
    assert doc.replace_mask(_disc())  # told: the record could not be written
    assert notes.last_error is not None
    monkeypatch.setattr(frame_saves, "append_record", real)  # room again
    notes.stop_saves()  # the video closes: what failed is tried once more
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    np.testing.assert_array_equal(again.load_mask(4), _disc())
