"""A holder closing the project while another takes it over (Take Over on another computer, the project on a
share with working file locks): the closing holder read the lock - its own - and then removed the file, which
by then was the new holder's. The project had no lock while the new holder wrote: a third opening got it
writable too (two writers). Releasing now looks and removes under the same guard (`folder_guard`, an
``flock`` of the project folder) that every taking of the lock holds, so a take-over waits for the release or
comes before it. The take-over is run, on a thread, exactly between the release's look and its removal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fosp_core.annotation import storage
from fosp_core.annotation.storage import LockInfo, ProjectLock
from tests.thread_blocked import done_or_blocked, in_function


def test_a_release_never_removes_the_lock_of_a_take_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lock"
    closing, taking = ProjectLock(path), ProjectLock(path)
    assert closing.acquire() is None
    real, main = storage._read_lock, threading.current_thread()
    taken: dict[str, object] = {}

    def take_over() -> None:
        taken["owner"] = taking.acquire(break_lock=True)

    def look(lock: Path) -> LockInfo | None:
        info = real(lock)
        if threading.current_thread() is main and not closing.held and "thread" not in taken:  # in release()
            thread = taken["thread"] = threading.Thread(target=take_over)
            thread.start()
            # done here before (no guard); it waits for the release's guard now (in `folder_guard`'s wait)
            assert done_or_blocked(thread, in_function("folder_guard")) != "timeout"
        return info

    monkeypatch.setattr(storage, "_read_lock", look)
    closing.release()
    thread = taken["thread"]
    assert isinstance(thread, threading.Thread)
    thread.join()
    assert taken["owner"] is None and taking.held
    assert real(path) == taking.me, "the new holder's lock was removed by the release"
    taking.release()
