"""One project, two openers: what the second is told about the lock, for real processes.

A second process (another app window, ``fosp project``) opens the project read-only and is told
who holds it: the user, the host, the process and since when; a lock written on another computer
says so, since this one cannot tell whether it is still in use.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fosp_core.annotation import project_open, storage
from fosp_core.annotation.project import Project
from fosp_core.annotation.storage import LockInfo, ProjectLock
from tests.unit.crash_worker import make_images

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="processes held open through a pipe on POSIX")

# Opens the project (for writing), says "ready" and waits for stdin to close.
HOLDER = textwrap.dedent("""
    import os, sys
    from fosp_core.annotation.project import Project
    project = Project.open(sys.argv[1])
    os.write(1, f"ready {'ro' if project.read_only else 'rw'}\\n".encode())
    sys.stdin.read()
    project.close()
""")


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return make_images(tmp_path / "images", seed=5, count=3)


def _me() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def test_the_second_opener_is_told_the_user_host_pid_and_since_when(folder: Path) -> None:
    before = time.time()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT, env=_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready rw", holder.stderr.read() if holder.stderr else ""
        second = Project.open(folder)
        owner = second.locked_by
        assert second.read_only and owner is not None
        assert (owner.pid, owner.host, owner.user) == (holder.pid, socket.gethostname(), _me())
        assert before - 1 <= owner.created <= time.time()
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(owner.created))
        reason = second.read_only_reason or ""
        assert reason.startswith(f"locked by pid {holder.pid} on host {socket.gethostname()}")
        assert f"user {_me()}" in reason and f"since {since}" in reason
        second.close()
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)
    assert not (folder / ".fosp" / "lock").exists()  # the holder released it on close
    with Project.open(folder) as third:  # and the next opener writes
        assert not third.read_only


def test_a_lock_of_an_older_version_without_user_or_time_still_reads(folder: Path) -> None:
    Project.open(folder).close()
    (folder / ".fosp" / "lock").write_text(json.dumps({"pid": 4242, "host": "elsewhere"}))
    with Project.open(folder) as second:
        assert second.read_only and second.locked_by == LockInfo(4242, "elsewhere")
        assert second.read_only_reason is not None
        assert second.read_only_reason.startswith("locked by pid 4242 on host elsewhere")
        assert "user" not in second.read_only_reason and "since" not in second.read_only_reason


def test_a_lock_from_another_computer_says_it_cannot_be_checked_from_here(folder: Path) -> None:
    Project.open(folder).close()
    created = time.time() - 7200
    (folder / ".fosp" / "lock").write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": created,
                                                       "user": "ana"}))
    with Project.open(folder) as second:
        reason = second.read_only_reason or ""
        assert second.read_only and second.locked_by is not None and second.locked_by.user == "ana"
        assert "user ana" in reason and time.strftime("%Y-%m-%d %H:%M", time.localtime(created)) in reason
        assert "another computer" in reason
    assert json.loads((folder / ".fosp" / "lock").read_text())["user"] == "ana"  # never broken silently


def test_the_lock_file_names_the_user(folder: Path) -> None:
    lock = ProjectLock(folder / "lock")
    assert lock.acquire() is None
    try:
        assert json.loads((folder / "lock").read_text())["user"] == _me()
    finally:
        lock.release()


def test_taking_over_from_a_holder_shown_breaks_no_other_holders_lock(folder: Path) -> None:
    """The user chose to take over from the holder shown; a lock taken meanwhile by another stays."""
    path = folder / "lock"
    shown = {"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}
    path.write_text(json.dumps(shown))
    since = {"pid": 77, "host": "labpc-8", "created": 2000.0, "user": "bo"}
    path.write_text(json.dumps(since))  # another computer took it between the question and the answer
    lock = ProjectLock(path)
    owner = lock.acquire(break_lock=LockInfo(4242, "labpc-7", 1000.0, user="ana"))
    assert owner == LockInfo(77, "labpc-8", 2000.0, user="bo") and not lock.held
    assert json.loads(path.read_text()) == since
    assert lock.acquire(break_lock=owner) is None and lock.held  # from the holder shown now: taken
    assert json.loads(path.read_text())["pid"] == os.getpid()
    lock.release()
    assert not path.exists()


def test_a_folder_that_cannot_be_written_says_so_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read-only file system (as `mount -o ro` gives; root ignores permission bits, so it is faked)."""
    Project.open(folder).close()

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(storage.tempfile, "mkstemp", mkstemp)
    with Project.open(folder) as second:
        assert second.read_only_reason == "the project folder is not writable (Read-only file system)"
        assert second.locked_by is None


def test_a_project_moved_while_open_reopens_for_writing_where_it_is_now(folder: Path) -> None:
    """Its lock went with the folder and names this process, which holds nothing there any more:
    the window that opens the project at its new place writes it (it said 'locked by' itself)."""
    old = Project.open(folder)
    same = Project.open(folder)
    assert same.read_only and same.locked_by is not None and same.locked_by.pid == os.getpid()
    same.close()
    moved = folder.rename(folder.with_name("renamed"))
    try:
        with Project.open(moved) as again:
            assert not again.read_only, again.read_only_reason
            again.set_status(again.ids[0], "reviewed")
        assert not (moved / ".fosp" / "lock").exists()
    finally:
        old.close()  # releases nothing at the old place, breaks nothing at the new one
    assert not folder.exists()


# Opens the project, marks the first three images reviewed (journal lines), says "ready"; at each
# line on stdin folds the journal into project.json (as its 500th save would) and says "folded".
FOLDER_HOLDER = textwrap.dedent("""
    import os, sys
    from fosp_core.annotation.project import Project
    project = Project.open(sys.argv[1])
    for image_id in project.ids[:3]:
        project.set_status(image_id, "reviewed")
    os.write(1, b"ready\\n")
    for _line in sys.stdin:
        project._compact()
        os.write(1, b"folded\\n")
    project.close()
""")


def test_a_reader_whose_reading_crosses_the_holders_journal_fold_sees_every_save(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fosp project status/export`` or a second window read project.json, then the journal; the
    holder folding the journal in between (new project.json, journal deleted) lost its saves from
    that reading: three reviewed images read as unlabeled (up to 500 in a real project)."""
    holder = subprocess.Popen([sys.executable, "-c", FOLDER_HOLDER, str(folder)], cwd=ROOT, env=_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "ready", holder.stderr.read() if holder.stderr else ""
        real = project_open.apply_changes
        folds: list[int] = []

        def fold_first(*args: object, **kwargs: object) -> int:
            if not folds:  # the holder folds between this reader's project.json and its journal
                holder.stdin.write("fold\n")
                holder.stdin.flush()
                assert holder.stdout.readline().strip() == "folded"
                folds.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(project_open, "apply_changes", fold_first)
        with Project.open(folder) as reader:
            assert reader.read_only and folds == [1]
            assert [e.status for e in reader.entries[:3]] == ["reviewed"] * 3
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_reader_whose_every_reading_crosses_a_fold_is_told_not_given_a_stale_project(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """project.json replaced during each of the READ_TRIES readings: the last one may be the old
    project.json without its journal (the saves since the last fold missing). A reader without the
    lock is told; one that takes the lock reads again once no one else can write (opens)."""
    Project.open(folder).close()
    ticks = iter(range(10**6))
    monkeypatch.setattr(project_open, "files_signature", lambda _folder: ((next(ticks), 0, 0), None))
    lock = folder / ".fosp" / "lock"
    lock.write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": 1000.0}))
    with pytest.raises(project_open.ProjectError, match="replaced while it was read"):
        Project.open(folder)
    lock.unlink()
    with Project.open(folder) as holder:
        assert not holder.read_only and len(holder.entries) == 3
