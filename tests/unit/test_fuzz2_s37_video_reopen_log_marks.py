"""A video opened again after a kill whose frame's recovery log could not be applied then (its PNG could not be
written: a full disk) counts that frame as having a mask (`frame_files.frames_in`: its log is read over no PNG)
and so marks it edited; the next write of ``video.json`` (a keyframe set) makes that mark durable. The log, left
in the page cache by the killed process (its PNG job had not fsynced it), must be durable first: else a power
loss leaves the frame edited with no mask - an explicit empty frame (no smoke) where smoke was painted, neither
its last durable state (not edited, no mask) nor its newest.

The kill is the first process held in its frame job (`frame_saves._write_frame` waits on an Event; no sleep) and
its files copied. The power model (as `settle_disk`'s for recovery logs): a log no fsync of the reopening process
made durable is gone; ``video.json`` is written by `atomic_write` (durable).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import log_sync
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.video import frame_saves, log_recovery
from fosp_core.video.timeline import VideoAnnotations
from tests.unit.video_frame_power import SHAPE, disc, frame_shown

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

_REAL_FSYNC = os.fsync


def test_a_frame_log_kept_at_the_reopening_is_durable_before_its_mark(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    video, state, killed = tmp_path / "cam.mp4", tmp_path / "state", tmp_path / "killed"
    release, real_write = threading.Event(), frame_saves._write_frame

    def held(job: SaveJob) -> None:
        release.wait(30)
        real_write(job)

    monkeypatch.setattr(frame_saves, "_write_frame", held)
    notes = VideoAnnotations(video, 20, SHAPE, folder=state)
    try:
        notes.save_in_background = True
        assert notes.document(4).replace_mask(disc())  # its record queued, its PNG job (then video.json's) held
        log = log_path(notes.mask_path(4))
        log_sync.wait_appends(log)
        assert log.is_file() and not notes.mask_path(4).exists()
        shutil.copytree(state, killed, ignore=shutil.ignore_patterns("lock"))  # the kill
    finally:
        release.set()
        notes.stop_saves()
        notes.release_lock()
    monkeypatch.setattr(frame_saves, "_write_frame", real_write)
    durable, newest = (False, False), (True, True)

    real_atomic = log_recovery.atomic_write

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    synced: set[str] = set()

    def watched(fd: int) -> None:
        try:
            synced.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
        _REAL_FSYNC(fd)

    monkeypatch.setattr(log_recovery, "atomic_write", full)
    monkeypatch.setattr(os, "fsync", watched)
    again = VideoAnnotations(video, 20, SHAPE, folder=killed)  # the log kept: its PNG could not be written
    monkeypatch.setattr(log_recovery, "atomic_write", real_atomic)
    try:
        assert 4 in again.edited and log_path(again.mask_path(4)).is_file()
        again.set_keyframe(10)  # video.json written, with the marks
        assert (killed / "video.json").is_file()
    finally:
        again.stop_saves()
        again.release_lock()
    monkeypatch.setattr(os, "fsync", _REAL_FSYNC)

    assert frame_shown(video, shutil.copytree(killed, tmp_path / "kill")) == newest
    power = shutil.copytree(killed, tmp_path / "power")
    kept = log_path(killed / "masks" / again.mask_path(4).name)
    if str(kept) not in synced:  # never made durable by the reopening: gone with the page cache
        (power / "masks" / kept.name).unlink()
    shown = frame_shown(video, power)
    assert shown in (durable, newest), (
        f"a power loss showed frame 4 as (edited, its mask) = {shown}: its mark made durable without the log that "
        f"holds its mask (durable {durable}, newest {newest})")
