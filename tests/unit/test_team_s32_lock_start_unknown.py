"""A lock whose recorded start time cannot be used: the words and the decision must not claim more than is known.

Before: a lock naming a running process of this computer said 'end process N' (its start 'recorded and
checked') whenever a start was recorded at all, though it was checked only when the boot ids matched and
the process's start could be read now (``/proc`` mounted ``hidepid``, another user's process: 0): N may
be another program that got the number after a crash. And a start that is no number (``null``, a word),
or a negative one, made the whole lock garbage or stale: taken over from a live FoSp Studio, two
writers on one project. Now such a start is unknown (the holder checked by its number alone, as a lock
without one), and the words say that it cannot be told whether process N is FoSp Studio.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from fosp_core.annotation import storage
from fosp_core.annotation.storage import LockInfo, ProjectLock

ALIVE = os.getppid()  # a process of this computer that runs, not this one
BOOT = storage._boot_id()
START = storage.process_start(ALIVE)
HOST = socket.gethostname()
linux = pytest.mark.skipif(not (BOOT and START), reason="needs Linux's /proc (boot id, process start times)")


def _cannot_tell(words: str) -> None:
    assert "end process" not in words, words
    assert "cannot be told" in words and "delete the project's lock file" in words, words


@linux
def test_a_start_checked_says_to_end_that_process() -> None:
    assert f"end process {ALIVE}" in LockInfo(ALIVE, HOST, 1.0, BOOT, START).describe()


@linux
def test_a_start_that_cannot_be_read_now_cannot_tell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "process_start", lambda pid: 0)  # /proc/N/stat unreadable (hidepid)
    _cannot_tell(LockInfo(ALIVE, HOST, 1.0, BOOT, START).describe())


@linux
def test_a_start_without_its_boot_cannot_tell() -> None:
    _cannot_tell(LockInfo(ALIVE, HOST, 1.0, "", START).describe())  # ticks since which boot: unknown


@linux
@pytest.mark.parametrize("start", [None, "soon", -7, True, [1]])
def test_a_start_that_is_no_number_is_unknown_not_stale(tmp_path: Path, start: object) -> None:
    lock = tmp_path / "lock"
    lock.write_text(json.dumps({"pid": ALIVE, "host": HOST, "created": 1.0, "boot": BOOT, "start": start}))
    owner = ProjectLock(lock).acquire()
    assert owner is not None, "a live holder's lock taken over"
    assert owner.pid == ALIVE and owner.start == 0
    _cannot_tell(owner.describe())


@pytest.mark.parametrize("created", ["NaN", "Infinity", "1e300", "-5", "\"yesterday\""])
def test_a_creation_time_that_is_no_time_is_unknown(tmp_path: Path, created: str) -> None:
    lock = tmp_path / "lock"
    lock.write_text(f'{{"pid": {ALIVE}, "host": "{HOST}", "created": {created}}}')
    owner = ProjectLock(lock).acquire()
    assert owner is not None and owner.created == 0.0 and "since" not in owner.describe()


@linux
@pytest.mark.parametrize("boot", [None, 42, ["x"]])
def test_a_boot_id_that_is_no_text_is_unknown_not_another_boot(tmp_path: Path, boot: object) -> None:
    """A boot id that is no text was read as its str() ('None', '42'): another boot's, so the lock of a
    live holder was taken for one written before the last reboot and taken over."""
    lock = tmp_path / "lock"
    lock.write_text(json.dumps({"pid": ALIVE, "host": HOST, "created": 1.0, "boot": boot, "start": START}))
    owner = ProjectLock(lock).acquire()
    assert owner is not None, "a live holder's lock taken over"
    assert owner.boot == "" and not owner.start_checked
    _cannot_tell(owner.describe())
