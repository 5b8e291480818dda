"""The recovery log's fsync off the GUI thread (`fosp_core.annotation.mask_saves`, `log_sync`): a
commit's record is written (write()) before the commit returns and fsynced by the project's save
thread before the PNG that supersedes it; a process killed while that fsync has not run loses
nothing (the page cache outlives the process)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.unit.crash_worker import make_images, mask_hash, stray_files
from tests.unit.killed_commit import killed_commit

needs_proc_fd = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds an fd's file through /proc")


def _name(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "?"


@needs_proc_fd
def test_the_log_is_fsynced_on_the_save_thread_before_its_png(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_images(tmp_path / "images", seed=4, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        log, png = log_path(project.mask_path(doc.image_id)), project.mask_path(doc.image_id)
        calls: list[tuple[str, str]] = []  # (thread name, file) of each fsync
        real = os.fsync

        def fsync(fd: int) -> None:
            calls.append((threading.current_thread().name, _name(fd)))
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        for i in range(3):  # the first creates the log, the next append to it (or to a new one)
            start = len(calls)
            tools.brush(doc, [(5.0 + 9 * i, 5.0), (20.0, 20.0 + 7 * i)], 3)
            assert log.exists()
            gui = threading.current_thread().name
            assert not [c for c in calls[start:] if c[0] == gui], calls  # the commit fsyncs nothing on the GUI thread
            project.finish_saves(wait=True)  # its journal line is fsynced here, as before
        monkeypatch.setattr(os, "fsync", real)
        on_saver = [f for t, f in calls if t == "fosp-mask-saves"]
        kinds = ["log" if f == str(log) else "png" if Path(f).name.startswith(f".{png.name}.") else "folder"
                 for f in on_saver]
        # each commit's record fsynced before the PNG that supersedes it
        assert [k for k in kinds if k != "folder"] == ["log", "png"] * 3, on_saver
        assert not log.exists()  # saved: the log went


_KILLED = """
import os, signal, sys, threading
import numpy as np
from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
real_fsync = os.fsync
def fsync(fd):
    if threading.current_thread().name == "fosp-mask-saves":
        threading.Event().wait()  # the save thread never gets past the log's fsync
    real_fsync(fd)
os.fsync = fsync
project = Project.open(sys.argv[1])
project.save_in_background = True
doc = project.open_document(project.ids[0])
h, w = doc.shape
tools.brush(doc, [(w * 0.1, h * 0.1), (w * 0.9, h * 0.8)], 9)
tools.erase(doc, [(w * 0.3, h * 0.3), (w * 0.5, h * 0.4)], 4)
doc.set_status("reviewed")
np.save(sys.argv[2], doc.mask)
print(doc.status.value, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # right after the commits returned: their records not fsynced
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_kill_before_the_log_is_fsynced_loses_nothing(tmp_path: Path) -> None:
    folder, want = killed_commit(tmp_path, _KILLED, (300, 400))
    project_dir = folder / ".fosp"
    with Project.open(folder) as project:
        assert project.recovered == ["frame"]
        assert mask_hash(project.load_mask("frame")) == mask_hash(want)
        assert project.entry("frame").status.value == "reviewed"
        assert not stray_files(project_dir)
