"""Windows has no ``flock``: `folder_guard` (one process of the machine at a time looks at a project's lock and
takes a stale one over) ran its block unguarded there, so two FoSp Studios opening one project with a stale
lock could both take it over (two writers until one noticed at its next save), and a release could remove a
lock taken over between its look and its removal. Now the guard is a named mutex of the folder's path there
(one name for every spelling of the path: case, ``..``), which a process that died leaves to the next.

Windows is simulated: ``sys.platform`` ``win32``, no ``fcntl``, and kernel32's mutex calls by a fake whose
named mutexes are thread locks (a mutex excludes the threads of one process as well as processes)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.annotation import lock_files
from fosp_core.annotation.lock_files import folder_guard, guard_name


class _Kernel32:
    """kernel32's named mutexes, faked: a handle per CreateMutexW, one lock per name."""

    def __init__(self) -> None:
        self.locks: dict[str, threading.Lock] = {}
        self.handles: dict[int, str] = {}
        self.waiting = threading.Event()  # a WaitForSingleObject has begun
        self.closed: list[int] = []

    def CreateMutexW(self, attributes: object, initial: bool, name: str) -> int:  # noqa: N802 - the API's name
        self.locks.setdefault(name, threading.Lock())
        handle = len(self.handles) + 1
        self.handles[handle] = name
        return handle

    def WaitForSingleObject(self, handle: int, ms: int) -> int:  # noqa: N802
        self.waiting.set()
        return 0 if self.locks[self.handles[handle]].acquire(timeout=ms / 1000) else 0x102  # WAIT_TIMEOUT

    def ReleaseMutex(self, handle: int) -> bool:  # noqa: N802
        self.locks[self.handles[handle]].release()
        return True

    def CloseHandle(self, handle: int) -> bool:  # noqa: N802
        self.closed.append(handle)
        return True


@pytest.fixture
def kernel32(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Kernel32]:
    fake = _Kernel32()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl: ImportError, as there
    monkeypatch.setattr(lock_files, "_kernel32", lambda: fake, raising=False)
    yield fake


def test_a_second_look_waits_for_the_first(tmp_path: Path, kernel32: _Kernel32) -> None:
    inside, leave, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with folder_guard(tmp_path):
            inside.set()
            leave.wait(30)

    def second() -> None:
        with folder_guard(tmp_path / "sub" / ".."):  # the same folder, spelled otherwise
            second_in.set()

    one = threading.Thread(target=first)
    one.start()
    assert inside.wait(30)
    kernel32.waiting.clear()
    two = threading.Thread(target=second)
    two.start()
    try:
        assert kernel32.waiting.wait(30), "the second look did not wait for the guard: unguarded"
        assert not second_in.is_set(), "the second look ran while the first held the guard"
    finally:
        leave.set()
        one.join(30)
        two.join(30)
    assert second_in.is_set() and len(kernel32.closed) == 2  # every handle closed


def test_one_name_for_every_spelling(tmp_path: Path, kernel32: _Kernel32) -> None:
    assert guard_name(tmp_path) == guard_name(tmp_path / "x" / "..") == guard_name(Path(str(tmp_path) + "/"))
    assert guard_name(tmp_path) != guard_name(tmp_path / "other")
    assert guard_name(tmp_path).startswith("Global\\fosp-folder-guard-")


def test_a_mutex_that_cannot_be_made_leaves_the_block_unguarded(tmp_path: Path, kernel32: _Kernel32,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel32, "CreateMutexW", lambda *args: 0)  # another user's mutex: access denied
    ran = []
    with folder_guard(tmp_path):
        ran.append(True)
    assert ran == [True] and kernel32.closed == []
