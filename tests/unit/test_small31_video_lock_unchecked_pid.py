"""A video's annotation folder locked by a process of this computer whose number cannot be checked - a lock
without the process's start (macOS, an older version's lock), or a process whose start cannot be read here
(another user's process on Windows) - said 'quit FoSp Studio, or end process N', though N may be another
program that got the number after a crash. The words follow the image project's (`LockInfo.describe`): 'end
process N' only where its start was recorded and matches the process running now."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from fosp_core.video import folder_lock
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.timeline import VideoAnnotations

HOLDER = os.getppid()  # a live process of this computer that is not this one


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


def test_a_holder_known_by_its_number_alone_is_not_to_be_ended(tmp_path: Path) -> None:
    words = _reason(tmp_path)  # no start recorded
    assert "end process" not in words, words
    assert "quit FoSp Studio" in words and "Take Over" in words, words
    assert f"process {HOLDER} is another program" in words and "delete" in words, words
    assert str(tmp_path / "state" / LOCK_FILE) in words, words  # which file to delete


def test_a_holder_whose_start_cannot_be_read_is_not_to_be_ended(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation import storage
    boot, start = storage._boot_id(), storage.process_start(HOLDER)
    if not start:
        pytest.skip("the parent's start cannot be read on this system")
    monkeypatch.setattr(storage, "process_start", lambda pid: 0)  # cannot be inspected (Windows: access denied)
    monkeypatch.setattr(folder_lock, "process_start", lambda pid: 0, raising=False)
    words = _reason(tmp_path, boot=boot, start=start)
    assert "end process" not in words, words
    assert f"process {HOLDER} is another program" in words, words


def test_a_holder_checked_by_its_start_may_be_ended(tmp_path: Path) -> None:
    from fosp_core.annotation import storage
    boot, start = storage._boot_id(), storage.process_start(HOLDER)
    if not start:
        pytest.skip("the parent's start cannot be read on this system")
    words = _reason(tmp_path, boot=boot, start=start)
    assert f"end process {HOLDER}" in words, words  # its start recorded and checked: this is it
