"""A FoSp Studio on Windows that crashed left its lock; Windows gives its process number to another
program soon after. That lock named a process of this computer that still ran: the project opened
read-only for good (until that program ended, a reboot not helping: Windows locks held no boot id),
the words said to end process N - some other program - and Take Over never breaks a holder here.
Locks on Windows now hold the process's creation time (GetProcessTimes), as Linux locks hold its
start: a number now taken by a process started at another time is a stale lock, taken over. Faked
here (the Windows API is not at hand); where the time cannot be read, the lock is treated as before."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from fosp_core.annotation import storage
from fosp_core.annotation.storage import ProjectLock

STARTED = {4242: 133_000_000_000_000_000}  # FILETIME of each fake running process


@pytest.fixture()
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage.sys, "platform", "win32")
    monkeypatch.setattr(storage, "_windows_pid_alive", lambda pid: pid in STARTED or pid == storage.os.getpid())
    monkeypatch.setattr(storage, "_windows_process_start", lambda pid: STARTED.get(pid, 0), raising=False)
    monkeypatch.setattr(storage, "_boot_id", lambda: "")
    STARTED[storage.os.getpid()] = 133_000_000_500_000_000


def _left(path: Path, start: int) -> None:
    path.write_text(json.dumps({"pid": 4242, "host": socket.gethostname(), "created": 1.0, "start": start}))


def test_a_reused_process_number_is_a_stale_lock(tmp_path: Path, windows: None) -> None:
    lock = tmp_path / "lock"
    _left(lock, STARTED[4242] - 10_000_000)  # process 4242 then: started a second before today's 4242
    mine = ProjectLock(lock)
    assert mine.acquire() is None, "taken for a live holder"
    assert mine.took_over is not None and mine.took_over.pid == 4242
    written = json.loads(lock.read_text())
    assert written["start"] == STARTED[storage.os.getpid()] and "boot" not in written
    mine.release()


def test_the_same_process_still_holds_it(tmp_path: Path, windows: None) -> None:
    lock = tmp_path / "lock"
    _left(lock, STARTED[4242])
    owner = ProjectLock(lock).acquire()
    assert owner is not None and owner.pid == 4242


def test_a_holder_known_by_its_number_alone_is_not_to_be_ended(tmp_path: Path) -> None:
    """A lock without the process's start (macOS, an older version's) cannot tell FoSp Studio from a
    program that got its number after a crash: the words never say to end that process (before: 'or end
    process N', which may be any program), and say what to do when no FoSp Studio runs."""
    words = storage.LockInfo(storage.os.getppid(), socket.gethostname(), 1.0).describe()
    assert "end process" not in words, words
    assert "quit FoSp Studio" in words and "delete the project's lock file" in words, words
    boot, start = storage._boot_id(), storage.process_start(storage.os.getppid())
    if boot and start:  # Linux: its start recorded in this boot and checked (an unchecked one: test_team_s32_lock_*)
        started = storage.LockInfo(storage.os.getppid(), socket.gethostname(), 1.0, boot, start).describe()
        assert f"end process {storage.os.getppid()}" in started  # this is it
