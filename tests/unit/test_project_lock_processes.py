"""Two processes and one project: the lock, for real.

A second process gets the project read-only and is told who holds it; a lock left by a killed
process is taken over; processes starting together on a stale lock end with one writer; and a
process opening the project while the holder saves and quits works on what the holder left.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fosp_core.annotation import storage, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectReadOnlyError
from tests.unit.crash_worker import disk_state, make_images, stray_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork-free processes on POSIX")

# Opens the project, commits one edit, says "ready <status>" and waits for stdin to close.
HOLDER = textwrap.dedent("""
    import os, sys
    from fosp_core.annotation import tools
    from fosp_core.annotation.project import Project
    project = Project.open(sys.argv[1])
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(4, 4), (10, 10)], 2)
    os.write(1, f"ready {'ro' if project.read_only else 'rw'}\\n".encode())
    sys.stdin.read()
""")

# Waits until the given time, opens the project, says "rw" or "ro", keeps it open a while, exits
# without closing. argv: folder, start time, seconds pid_alive takes (widens the check-then-take).
RACER = textwrap.dedent("""
    import os, sys, time
    from fosp_core.annotation import storage
    from fosp_core.annotation.project import Project
    folder, start, slow = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    real_alive = storage.pid_alive
    def pid_alive(pid):
        time.sleep(slow)
        return real_alive(pid)
    storage.pid_alive = pid_alive
    while time.time() < start:
        time.sleep(0.001)
    project = Project.open(folder)
    os.write(1, ("ro" if project.read_only else "rw").encode())
    time.sleep(1.5)
    os._exit(0)
""")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return make_images(tmp_path / "images", seed=3, count=4)


def test_a_second_process_is_read_only_until_the_first_is_killed(folder: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT, env=_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready rw", holder.stderr.read() if holder.stderr else ""
        second = Project.open(folder)
        assert second.read_only and second.locked_by is not None and second.locked_by.pid == holder.pid
        assert second.read_only_reason.startswith(f"locked by pid {holder.pid} on host {socket.gethostname()} (")
        assert second.entry(second.ids[0]).status == Status.EDITED  # it reads what the holder saved
        with pytest.raises(ProjectReadOnlyError, match=f"opened read-only: locked by pid {holder.pid}"):
            second.set_status(second.ids[1], Status.REVIEWED)
        doc = second.open_document(second.ids[1])
        tools.brush(doc, [(6, 6)], 3)  # editing in memory is allowed; nothing is written
        assert second.load_mask(second.ids[1]) is None
        second.close()
        assert (folder / ".fosp" / "lock").exists()  # a read-only instance leaves the holder's lock alone
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    saved = disk_state(folder / ".fosp")
    with Project.open(folder) as third:  # the killed holder's lock is stale: taken over
        assert not third.read_only, third.read_only_reason
        assert third.lock.took_over is not None and third.lock.took_over.pid == holder.pid
        assert json.loads((folder / ".fosp" / "lock").read_text())["pid"] == os.getpid()
        assert not stray_files(folder / ".fosp")
        assert third.entry(third.ids[0]).status == Status.EDITED
    assert disk_state(folder / ".fosp") == saved
    assert not (folder / ".fosp" / "lock").exists()


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="process start times from /proc")
@pytest.mark.parametrize("after", ["pid reused", "reboot"])
def test_a_dead_holders_pid_now_used_by_another_process_is_stale(folder: Path, after: str) -> None:
    """A window killed (or a machine powered off) leaves its lock; its pid may be given to another
    process later - always so after a reboot, where pids start again from low numbers. That
    process is not the holder: the project opened read-only "locked by pid N" for good."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT, env=_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready rw"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    lock = folder / ".fosp" / "lock"
    data = json.loads(lock.read_text())
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        data["pid"] = other.pid  # a live process that is not the one that wrote the lock
        if after == "reboot":
            data["boot"] = "0f6e5a2c-0000-4000-8000-000000000000"
        lock.write_text(json.dumps(data))
        with Project.open(folder) as project:
            assert not project.read_only, project.read_only_reason
            assert project.lock.took_over is not None and project.lock.took_over.pid == other.pid
    finally:
        other.kill()
        other.wait()


def _stale_lock(folder: Path) -> int:
    """Leave the lock of a process that is gone; returns its pid."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / ".fosp" / "lock").write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(),
                                                       "created": time.time()}))
    return dead.pid


@pytest.mark.slow  # two rounds of three racing processes (~7 s on 2 cores); a stale lock taken over by a
# process, and a live one refused, run by default in the tests above
def test_processes_starting_together_on_a_stale_lock_leave_one_writer(folder: Path) -> None:
    """Each sees the dead process's lock, and each takes it over: before the take-over was
    serialised, several of them held the "lock" and wrote the same project at once."""
    Project.open(folder).close()
    for _ in range(2):
        _stale_lock(folder)
        start = time.time() + 1.0
        racers = [subprocess.Popen([sys.executable, "-c", RACER, str(folder), str(start), "0.3"], cwd=ROOT,
                                   env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(3)]
        outcomes = []
        for racer in racers:
            out, err = racer.communicate(timeout=60)
            assert racer.returncode == 0, err
            outcomes.append(out)
        assert sorted(outcomes) == ["ro", "ro", "rw"], outcomes


def test_opening_while_the_holder_saves_and_quits_works_on_what_it_left(folder: Path, monkeypatch) -> None:
    """The project is read before the lock is taken. When its holder saved again and quit in
    between (its close folds the journal into a new project.json), the new writer worked on the
    old state: the holder's last changes were overwritten, and the newcomer's own saves went to
    a journal of the old generation, which the next opening ignores - lost after a crash."""
    holder = Project.open(folder)
    first, second, third = holder.ids[:3]
    tools.brush(holder.open_document(first), [(4, 4)], 2)
    real_acquire = storage.ProjectLock.acquire
    quitting = [True]

    def acquire(self: storage.ProjectLock, **kwargs: object) -> storage.LockInfo | None:
        if quitting[0]:  # the newcomer has read the files; the holder saves once more and quits
            quitting[0] = False
            holder.set_status(second, Status.REVIEWED)
            holder.close()
        return real_acquire(self, **kwargs)

    monkeypatch.setattr(storage.ProjectLock, "acquire", acquire)
    newcomer = Project.open(folder)
    assert not newcomer.read_only, newcomer.read_only_reason
    assert newcomer.entry(second).status == Status.REVIEWED, "the holder's last save is not seen"
    newcomer.set_status(third, Status.EDITED)  # a committed change of the newcomer ...
    newcomer.lock.path.unlink()  # ... which then crashes
    newcomer.lock.held = False
    with Project.open(folder) as after:
        assert [after.entry(i).status for i in (first, second, third)] == \
            [Status.EDITED, Status.REVIEWED, Status.EDITED]
