"""Video frame saves (`fosp_core.video.frame_saves`, `fosp_core.video.timeline`) under a power loss (and a
record that cannot be appended, last test): a
removal of a mask file or of its recovery log is durable only once the mask folder is fsynced after it.

`MasksFolderDisk` (`tests.unit.power_loss`) keeps what the fsyncs of the video's mask folder made
durable; a power loss leaves that folder as the last such snapshot. Linux only (a path read from ``/proc``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.video.timeline import VideoAnnotations
from tests.unit.power_loss import MasksFolderDisk, failing_fsync

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

SHAPE = (48, 64)


def _disc() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[12:28, 12:28] = 1
    return mask


@pytest.mark.parametrize("background", [True, False])
def test_a_frame_undone_back_to_nothing_stays_without_a_mask_after_a_power_loss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background: bool) -> None:
    state = tmp_path / "state"
    disk = MasksFolderDisk(state / "masks")
    monkeypatch.setattr(os, "fsync", disk.fsync)
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    notes.save_in_background = background
    doc = notes.document(4)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)  # the PNG written and fsynced, its log removed
    assert notes.mask_path(4).is_file() and not log_path(notes.mask_path(4)).exists()
    doc.undo()  # back to nothing: the mask and the mark removed (by the save thread: background)
    notes.finish_saves(wait=True)
    assert not notes.mask_path(4).exists() and notes.edited == set() and notes.last_error is None
    notes.stop_saves()
    copy = disk.power_copy(state, tmp_path / "after")
    again = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=copy)
    assert again.load_mask(4) is None  # the undone mask came back: the removal was not durable
    assert again.edited == set()


def test_a_removal_that_cannot_be_made_durable_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state)
    notes.save_in_background = True
    doc = notes.document(4)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)

    monkeypatch.setattr(os, "fsync", failing_fsync(state / "masks"))
    doc.undo()  # the removal runs on the save thread (fosp_core.video.frame_removals)
    notes.finish_saves(wait=True)
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
