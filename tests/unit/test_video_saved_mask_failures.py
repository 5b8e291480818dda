"""Two ways a frame's saved mask is read or written around a recovery log (`fosp_core.video.frame_saves`):
a ``save_mask`` (inline: scripts) that fails over a kept log takes its whole-mask record back, as images'
saves do (`fosp_core.annotation.mask_writes`), so the frame reads as before the failed save; and an opening
rebuilds a frame whose PNG is damaged from the whole-mask record its log keeps, and says so."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.file_writes import write_error
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.io.masks import read_mask
from fosp_core.video import frame_files, frame_saves
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def _disc(value: int = 1, at: int = 20) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[at - 8:at + 8, at - 8:at + 8] = value
    return mask


def _failing_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def failed(job: SaveJob) -> None:
        job.error = frame_saves.ProjectSaveError(job.path, "cannot save: disk full")

    monkeypatch.setattr(frame_saves, "_write_frame", failed)


def _open(tmp_path: Path) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def test_an_inline_save_that_fails_takes_its_whole_record_back(tmp_path: Path, monkeypatch) -> None:
    notes = _open(tmp_path)
    notes.save_in_background = True
    _failing_writes(monkeypatch)
    notes.document(5).replace_mask(_disc(1, 16))  # its save fails: the log keeps it
    notes.finish_saves(wait=True)
    log = log_path(notes.mask_path(5))
    kept = log.read_bytes()
    notes.stop_saves()
    notes.save_in_background = False  # a script's save now

    def full(path: Path, data: bytes, **_: object) -> None:
        raise write_error(Path(path), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(frame_files, "atomic_write", full)
    with pytest.raises(VideoAnnotationError, match="disk full"):
        notes.save_mask(5, _disc(255, 30))
    assert log.read_bytes() == kept  # the whole record of the mask not saved: taken back
    np.testing.assert_array_equal(notes.load_mask(5), _disc(1, 16))  # the log's commit, not the failed save
    monkeypatch.undo()
    again = _open(tmp_path)
    np.testing.assert_array_equal(again.load_mask(5), _disc(1, 16))


def test_a_damaged_png_is_rebuilt_from_the_whole_record_of_its_log(tmp_path: Path) -> None:
    notes = _open(tmp_path)
    notes.save_mask(7, _disc(255, 30))
    log = log_path(notes.mask_path(7))
    log.write_bytes(encode_record(_disc(1, 16), (0, SHAPE[0], 0, SHAPE[1]), "edited"))  # a whole-mask record
    notes.mask_path(7).write_bytes(b"\x89PNG\r\n\x1a\n cut short")  # the PNG under it damaged since
    np.testing.assert_array_equal(notes.load_mask(7), _disc(1, 16))  # read around it
    notes.release_lock()
    again = _open(tmp_path)  # the opening applies the log
    assert any("cam_000007" in remark and "recovered" in remark for remark in again.warnings), again.warnings
    np.testing.assert_array_equal(again.load_mask(7), _disc(1, 16))
    np.testing.assert_array_equal(read_mask(again.mask_path(7)), _disc(1, 16))  # written again, whole
    assert not log.exists()
