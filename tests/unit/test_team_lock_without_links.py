"""A project on a drive without hard links: a USB stick formatted FAT32 or exFAT that a team passes
around, an SMB share mounted without Unix extensions. The lock was made by hard-linking a temporary
file into place (atomic), and there ``link`` fails (EPERM, ENOTSUP): the project opened read-only for
everyone, saying 'the project folder is not writable (cannot create the lock: Operation not permitted)'
- untrue, and nothing to do about it. The lock is now created with an exclusive create there (its
bytes in one write), and a lock found empty while such a create may be writing it is read again
before it counts as stale, so a second process is still refused."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import storage
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.storage import ProjectLock


@pytest.fixture(params=[errno.EPERM, errno.EOPNOTSUPP])
def no_links(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    def link(src: str, dst: str) -> None:
        raise OSError(request.param, os.strerror(request.param), src)

    monkeypatch.setattr(storage.os, "link", link)


def test_a_project_on_a_drive_without_links_opens_writable(tmp_path: Path, no_links: None) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    with Project.open(folder) as project:
        assert not project.read_only, project.read_only_reason
        assert json.loads((project.folder / "lock").read_text())["pid"] == os.getpid()
        project.save_mask("a", np.ones((20, 30), np.uint8), Status.EDITED)
        other = ProjectLock(project.folder / "lock")
        other.me = storage.LockInfo(other.me.pid + 1, "another-laptop", other.me.created)
        owner = other.acquire()
        assert owner is not None and owner.pid == os.getpid()  # a second holder is refused
    assert not (project.folder / "lock").exists()  # released
    assert not list(project.folder.glob(".lock.*"))  # no temporary file left


def test_a_lock_being_written_is_not_taken_for_a_stale_one(tmp_path: Path) -> None:
    """Another computer's exclusive create made the file and has not written its bytes yet: the lock is
    read again, not replaced (before, replaced at once: that computer's write then went to the
    replaced file, and both held the project)."""
    lock = tmp_path / "lock"
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL)  # the other process's create
    holder = json.dumps({"pid": 999999, "host": "another-laptop", "created": 1.0}).encode()
    writer = threading.Timer(0.1, lambda: (os.write(fd, holder), os.close(fd)))
    writer.start()
    try:
        owner = ProjectLock(lock).acquire()
    finally:
        writer.join()
    assert owner is not None and owner.host == "another-laptop", owner
    assert json.loads(lock.read_text())["host"] == "another-laptop"
