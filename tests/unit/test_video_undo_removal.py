"""A frame undone back to no mask in the app (background saves): its files removed by the save thread after
the frame's pending write (`fosp_core.video.frame_removals`). A kill at any moment after the undo returned
reopens the frame without a mask; a redo before the removal ran (or while it runs) calls it off and wins."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.io.masks import read_mask
from fosp_core.video import frame_removals, frame_saves
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.timeline import VideoAnnotations
from tests.unit.power_loss import MasksFolderDisk

SHAPE = (48, 64)


def _disc(value: int = 1, at: int = 20) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[at - 8:at + 8, at - 8:at + 8] = value
    return mask


def _notes(folder: Path) -> VideoAnnotations:
    notes = VideoAnnotations(folder.parent / "cam.mp4", 20, SHAPE, folder=folder)
    notes.save_in_background = True
    return notes


def _killed_now(state: Path, tmp_path: Path, name: str) -> VideoAnnotations:
    """The folder as a kill of the process now leaves it (what was written is in the page cache), opened."""
    copy = tmp_path / name
    shutil.copytree(state, copy, ignore=shutil.ignore_patterns(LOCK_FILE))  # the killed process's lock: gone
    return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=copy)


class _HeldWrites:
    """The save thread's PNG writes held until `open` is set (removals are not held)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open, self.entered, self.written = threading.Event(), threading.Event(), 0
        real = frame_saves._write_frame

        def write(job: SaveJob) -> None:
            self.entered.set()
            assert self.open.wait(30)
            self.written += 1
            real(job)

        monkeypatch.setattr(frame_saves, "_write_frame", write)


def test_a_kill_between_the_undo_and_the_removal_reopens_the_frame_without_a_mask(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    state = tmp_path / "state"
    notes = _notes(state)
    doc = notes.document(5)
    doc.replace_mask(_disc(1, 16))
    notes.finish_saves(wait=True)  # the first commit's PNG on disk
    held = _HeldWrites(monkeypatch)
    doc.replace_mask(_disc(255, 30))
    assert held.entered.wait(10)  # its write held
    assert doc.undo()  # to the first commit: its write waits behind the held one
    killed = _killed_now(state, tmp_path, "killed-mid-undo")  # a commit's record is in the log
    np.testing.assert_array_equal(killed.load_mask(5), _disc(1, 16))
    assert doc.undo()  # to nothing: the waiting write replaced by the removal
    assert not held.written and notes.edited == set() and notes.load_mask(5) is None
    killed = _killed_now(state, tmp_path, "killed-after-undo")  # the PNG of the first commit, the log
    assert killed.load_mask(5) is None and killed.edited == set() and killed.labelled_frames() == []
    assert not (tmp_path / "killed-after-undo" / "masks" / "cam_000005.png").exists()  # the opening removed it
    held.open.set()
    notes.finish_saves(wait=True)
    assert held.written == 1  # the second commit's; the undo's write was replaced by the removal
    assert not notes.mask_path(5).exists() and not log_path(notes.mask_path(5)).exists()
    notes.stop_saves()
    assert _notes(state).edited == set()


def test_a_redo_before_the_removal_ran_wins(tmp_path: Path, monkeypatch) -> None:
    state = tmp_path / "state"
    notes = _notes(state)
    held = _HeldWrites(monkeypatch)
    doc = notes.document(3)
    doc.replace_mask(_disc())
    assert held.entered.wait(10)
    assert doc.undo()  # the removal waits behind the held write
    assert doc.redo()  # calls it off: its write replaces it
    killed = _killed_now(state, tmp_path, "killed")
    np.testing.assert_array_equal(killed.load_mask(3), _disc())
    held.open.set()
    notes.finish_saves(wait=True)
    np.testing.assert_array_equal(read_mask(notes.mask_path(3)), _disc())
    assert not log_path(notes.mask_path(3)).exists() and notes.edited == {3}
    notes.stop_saves()
    np.testing.assert_array_equal(_notes(state).load_mask(3), _disc())


def test_a_redo_while_the_removal_runs_calls_off_the_rest_of_it(tmp_path: Path, monkeypatch) -> None:
    """The removal held after the PNG went (its folder's fsync): a redo then appends its record to the log,
    which the removal leaves; the redo's own save writes the PNG."""
    state = tmp_path / "state"
    notes = _notes(state)
    doc = notes.document(8)
    doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    inside, go_on = threading.Event(), threading.Event()
    real = frame_removals.fsync_dir

    def held_fsync(folder: Path) -> None:
        if not inside.is_set():
            inside.set()
            assert go_on.wait(30)
        real(folder)

    monkeypatch.setattr(frame_removals, "fsync_dir", held_fsync)
    assert doc.undo()
    assert inside.wait(10) and not notes.mask_path(8).exists()  # the PNG removed, the log not yet
    assert doc.redo()
    killed = _killed_now(state, tmp_path, "killed")
    np.testing.assert_array_equal(killed.load_mask(8), _disc())  # the redo's record, from the log alone
    go_on.set()
    notes.finish_saves(wait=True)
    np.testing.assert_array_equal(read_mask(notes.mask_path(8)), _disc())
    assert not log_path(notes.mask_path(8)).exists() and notes.edited == {8} and notes.last_error is None
    notes.stop_saves()
    np.testing.assert_array_equal(_notes(state).load_mask(8), _disc())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_power_loss_at_any_step_of_the_removal_reopens_the_frame_without_a_mask(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    """Each fsync of the mask folder during the removal (the log's, after the PNG went, after the log went)
    is a state a power loss may leave: every one of them reopens without the mask (the removal record is
    durable before the PNG goes, and stays until that removal is)."""
    state = tmp_path / "state"
    disk = MasksFolderDisk(state / "masks")
    copies: list[Path] = []

    def fsync(fd: int) -> None:
        seen = disk.snapshot
        disk.fsync(fd)  # a new snapshot: the mask folder's fsync
        if copies and disk.snapshot is not seen and threading.current_thread().name == "fosp-mask-saves":
            copies.append(disk.power_copy(state, tmp_path / f"power-{len(copies)}", skip=(LOCK_FILE,)))

    monkeypatch.setattr(os, "fsync", fsync)
    notes = _notes(state)
    doc = notes.document(4)
    doc.replace_mask(_disc())
    notes.finish_saves(wait=True)  # the PNG durable, its log gone
    copies.append(disk.power_copy(state, tmp_path / "power-0", skip=(LOCK_FILE,)))  # before the undo
    assert doc.undo()
    notes.finish_saves(wait=True)
    notes.stop_saves()
    assert len(copies) == 4  # the log's fsync, then one after each removal
    before, *during = (VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=copy) for copy in copies)
    np.testing.assert_array_equal(before.load_mask(4), _disc())
    for again in during:
        assert again.load_mask(4) is None and again.labelled_frames() == [], again.folder
