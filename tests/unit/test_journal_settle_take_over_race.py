"""A take-over that comes while `finish_saves` takes a journal fsync's end
(`fosp_core.annotation.mask_saves`): the lock was read once when the take started, and the logs of
the fsync's images deleted at its end. Another program taking the project over between the two owns
the logs at those paths (its own log of the image included): they must stay, and the project turns
read-only, told once. The lock is read again just before the logs go."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SETTLE_KEY
from fosp_core.annotation.storage import LockInfo, atomic_write
from tests.unit.crash_worker import make_images


def test_a_take_over_after_the_lock_was_read_keeps_the_new_holders_log(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    release, real_sync = threading.Event(), mask_saves._sync_journal

    def held(job: mask_saves.SaveJob) -> None:
        assert release.wait(60)
        real_sync(job)

    monkeypatch.setattr(mask_saves, "_sync_journal", held)
    project = Project.open(make_images(tmp_path / "images", seed=21, count=2))
    events: list[tuple] = []
    project.events.connect(events.append)
    theirs = b'{"theirs": "a record of the other holder"}\n'
    try:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
        saver = project._saver
        assert saver is not None
        saver.wait(doc.image_id)
        assert project.finish_saves() == 1 and project._settles_out == 1  # the line; its fsync held
        log = log_path(project.mask_path(doc.image_id))
        release.set()
        saver.wait(SETTLE_KEY)  # the fsync ended; its end not taken yet
        lock = project.lock
        assert lock is not None
        real_taken_by, reads = lock.taken_by, []

        def taken_by() -> LockInfo | None:
            owner = real_taken_by()
            reads.append(owner)
            if len(reads) == 1:  # just after the take read the lock: another computer takes over
                atomic_write(project.folder / "lock", json.dumps({
                    "pid": 4242, "host": socket.gethostname() + "-other", "created": 1.0, "user": "them"}).encode())
                log.write_bytes(theirs)  # its own next commit of the image starts a log at the same path
            return owner

        monkeypatch.setattr(lock, "taken_by", taken_by)
        project.finish_saves()
        assert log.exists() and log.read_bytes() == theirs, "the other holder's recovery log was deleted"
        assert reads[0] is None and len(reads) >= 2  # read at the start of the take, then before the logs go
        assert project.read_only
        assert [e[0] for e in events].count("taken_over") == 1
    finally:
        release.set()
        project.close()
