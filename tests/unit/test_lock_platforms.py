"""Project locks on other platforms than the one running the tests (Windows), faked where they
differ: what the lock code must not do there."""

from __future__ import annotations

import os

import pytest

from fosp_core.annotation import storage


def test_a_windows_liveness_check_never_signals_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows ``os.kill(pid, 0)`` is TerminateProcess(pid, 0): asking whether the lock's holder
    runs would end it (another FoSp Studio, its edits unsaved)."""
    signalled: list[int] = []
    asked: list[int] = []

    def kill(pid: int, sig: int) -> None:
        signalled.append(pid)

    def alive(pid: int) -> bool:
        asked.append(pid)
        return pid == 4242

    monkeypatch.setattr(storage.sys, "platform", "win32")
    monkeypatch.setattr(storage.os, "kill", kill)
    monkeypatch.setattr(storage, "_windows_pid_alive", alive, raising=False)
    assert storage.pid_alive(4242) and not storage.pid_alive(4243)
    assert signalled == [] and asked == [4242, 4243]
    assert not storage.pid_alive(0) and asked == [4242, 4243]


@pytest.mark.skipif(os.name != "nt", reason="the Windows API")
def test_the_windows_liveness_check_sees_this_process_and_not_a_gone_one() -> None:
    assert storage._windows_pid_alive(os.getpid())
    assert not storage._windows_pid_alive(0x7FFFFFF0)


def test_a_lock_is_taken_where_the_login_name_cannot_be_found(
        tmp_path: os.PathLike, monkeypatch: pytest.MonkeyPatch) -> None:
    """getpass.getuser() with no LOGNAME/USER/LNAME/USERNAME: Windows (Python < 3.13) raises
    ImportError (no ``pwd``), 3.13 OSError, Linux KeyError (uid not in the password database)."""
    for error in (ModuleNotFoundError("No module named 'pwd'"), OSError("no user"), KeyError(1000)):
        def getuser(error: BaseException = error) -> str:
            raise error

        monkeypatch.setattr(storage.getpass, "getuser", getuser)
        lock = storage.ProjectLock(os.path.join(tmp_path, "lock"))
        assert lock.me.user == ""
        assert lock.acquire() is None
        lock.release()
