"""A frame's first commit marks it edited and queues ``video.json``'s write after its frame job (one save thread,
in order: the PNG, then the marks). When that job failed before its recovery log's fsync (EIO), the state job
after it still made the mark durable over a log that is not: a power loss then left the frame edited with no
mask - an explicit empty frame (no smoke) where smoke was painted, neither its last durable state (not edited, no
mask) nor its newest. The failure is the test's `sync_log` (no sleep); the power model: a log never fsynced is
gone, ``video.json`` and PNGs are written by `atomic_write` (durable). The state job now makes that log durable
first; when it cannot either, it writes nothing (told, tried again later).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from fosp_core.video import frame_saves, state_saves
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.timeline import VideoAnnotations
from tests.unit.video_frame_power import SHAPE, disc, frame_shown

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

_REAL_FSYNC = os.fsync


@pytest.mark.parametrize("again", ["works", "fails", "flushed"])
def test_a_frame_job_that_failed_before_its_log_fsync_leaves_its_first_mark_out_of_video_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, again: str) -> None:
    """`again`: the fsync of that log by the state job after it works, or fails too (then also the write on the
    calling thread, `flush_state`, as the video's closing makes it)."""
    video, state = tmp_path / "cam.mp4", tmp_path / "state"
    synced: set[str] = set()

    def watched(fd: int) -> None:
        try:
            synced.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
        _REAL_FSYNC(fd)

    def failing(path: Path) -> None:
        frame_saves.log_sync.wait_appends(path)
        raise StorageError(path, "cannot write: Input/output error")

    monkeypatch.setattr(os, "fsync", watched)
    monkeypatch.setattr(frame_saves, "sync_log", failing)
    if again != "works":
        monkeypatch.setattr(state_saves, "sync_file", failing)
    notes = VideoAnnotations(video, 20, SHAPE, folder=state)
    try:
        notes.save_in_background = True
        assert notes.document(4).replace_mask(disc())
        notes.finish_saves(wait=True)
        assert notes.last_error is not None and 4 in notes.edited
        assert (notes.state_error is not None) == (again != "works")
        if again == "flushed":
            with pytest.raises(VideoAnnotationError, match="cannot be made durable"):
                notes.flush_state()
        power = shutil.copytree(state, tmp_path / "power", ignore=shutil.ignore_patterns("lock"))
    finally:
        monkeypatch.setattr(frame_saves, "sync_log", frame_saves.log_sync.sync_log)
        monkeypatch.setattr(state_saves, "sync_file", frame_saves.log_sync.sync_file, raising=False)
        monkeypatch.setattr(os, "fsync", _REAL_FSYNC)
        notes.stop_saves()
        notes.release_lock()
    log = log_path(state / "masks" / notes.mask_path(4).name)
    if str(log) not in synced:
        (power / "masks" / log.name).unlink()  # never fsynced: gone with the page cache
    shown = frame_shown(video, power)
    assert shown in ((False, False), (True, True)), (
        f"a power loss showed frame 4 as (edited, its mask) = {shown}: its mark made durable without its mask")
