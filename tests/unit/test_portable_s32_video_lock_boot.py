"""A video's annotation folder locked by a process of this computer whose recorded start cannot be compared: a
lock whose boot id is unknown (written where ``/proc/sys/kernel/random/boot_id`` could not be read, or by an
older version) holds a start in clock ticks since *some* boot, so the process with that number now may be
another program even when its ticks match. `folder_lock._checked` compared the start alone and said 'quit
FoSp Studio, or end process N'; it now follows `LockInfo.start_checked` (same boot as this process records,
start read now and equal), as the image project's words do."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from fosp_core.annotation import storage
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.timeline import VideoAnnotations

HOLDER = os.getppid()  # a live process of this computer that is not this one
BOOT, START = storage._boot_id(), storage.process_start(HOLDER)
linux = pytest.mark.skipif(not (BOOT and START), reason="needs Linux's /proc (boot id, process start times)")


def _reason(tmp_path: Path, **lock: object) -> str:
    state = tmp_path / "state"
    state.mkdir()
    (state / LOCK_FILE).write_text(json.dumps({"pid": HOLDER, "host": socket.gethostname(), "created": 1.0,
                                               **lock}))
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, (48, 64), folder=state)
    try:
        assert notes.read_only and notes.locked_by is not None and notes.locked_by.pid == HOLDER
        return str(notes.read_only_reason)
    finally:
        notes.release_lock()


@linux
def test_a_start_without_its_boot_is_not_checked(tmp_path: Path) -> None:
    words = _reason(tmp_path, boot="", start=START)  # ticks since an unknown boot
    assert "end process" not in words, words
    assert f"process {HOLDER} is another program" in words, words


@linux
def test_a_start_of_this_boot_is_checked(tmp_path: Path) -> None:
    words = _reason(tmp_path, boot=BOOT, start=START)
    assert f"end process {HOLDER}" in words, words
