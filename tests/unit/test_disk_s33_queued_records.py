"""A commit's recovery-log record was written on the committing (GUI) thread: a disk that stopped answering held
the window at the release of the mouse, for good. It is now written by the log's folder's append thread
(`fosp_core.annotation.log_sync.queue_record`), the committing thread waiting for it `RECORD_WAIT_S` at most
(once: the folder is then stalled, the next commits wait for nothing). The order holds (the PNG's job waits for
the records before it); a record that fails after its commit returned fails that save, and the log takes no
later record until the image is saved another way (never a rectangle without the one before it). The dead disk
is simulated: the log's append blocks on an Event (released at the end)."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import log_sync, mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from tests.unit.crash_worker import make_images, mask_hash


class DeadLog:
    """`mask_saves.append_record` that blocks on `released` (the disk does not answer), then writes, or fails
    with ENOSPC (`fail`)."""

    def __init__(self) -> None:
        self.real = mask_saves.append_record
        self.stuck, self.released, self.fail, self.calls = threading.Event(), threading.Event(), False, 0

    def __call__(self, path: Path, line: bytes) -> None:
        self.calls += 1
        self.stuck.set()
        assert self.released.wait(60)
        if self.fail:
            raise StorageError(path, "cannot write: disk full", errno.ENOSPC)
        self.real(path, line)


@pytest.fixture()
def dead(monkeypatch: pytest.MonkeyPatch) -> Iterator[DeadLog]:
    log = DeadLog()
    monkeypatch.setattr(mask_saves, "append_record", log)
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)  # the commit's wait for a disk that answers, shortened
    yield log
    log.released.set()


def test_a_commit_returns_while_its_record_is_stuck_and_is_saved_once_the_disk_answers(
        tmp_path: Path, dead: DeadLog) -> None:
    folder = make_images(tmp_path / "images", seed=3, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        events: list[tuple] = []
        project.events.connect(events.append)
        tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)  # returns: the record waits on the dead disk
        assert dead.stuck.is_set() and not dead.released.is_set()
        tools.brush(doc, [(30.0, 8.0)], 2.0)  # the folder is stalled: queued, no wait at all
        assert log_sync.appends_waiting(log_path(project.mask_path(doc.image_id))) >= 1
        assert not project.mask_path(doc.image_id).exists()  # its PNG waits for the records before it
        assert project.finish_saves() == 0 and events == []  # nothing told saved
        want = doc.mask.copy()
        dead.released.set()
        project.finish_saves(wait=True)
        assert [e[:2] for e in events] == [("saved", doc.image_id)]
        assert project.is_saved(doc)
    with Project.open(folder) as again:
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(want)


def test_a_record_failing_after_its_commit_returned_fails_the_save_and_the_log_takes_no_later_one(
        tmp_path: Path, dead: DeadLog) -> None:
    folder = make_images(tmp_path / "images", seed=5, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        log = log_path(project.mask_path(doc.image_id))
        events: list[tuple] = []
        project.events.connect(events.append)
        tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)  # stuck, then fails
        saver = project._saver
        assert saver is not None
        deadline = time.monotonic() + 30
        while saver._running is None and time.monotonic() < deadline:  # its PNG job waits for the record
            time.sleep(0.01)
        tools.brush(doc, [(30.0, 8.0)], 2.0)  # queued behind it: refused (a record missing before it); a job of its own
        dead.fail = True
        dead.released.set()
        project.finish_saves(wait=True)
        assert [e[:2] for e in events] == [("save_failed", doc.image_id)]
        assert "disk full" in str(events[0][2]) and not project.is_saved(doc)
        assert dead.calls == 1 and not log.exists()  # nothing written after the failed record
        dead.fail = False
        tools.brush(doc, [(10.0, 30.0)], 2.0)  # no rectangle while the log refuses: it starts again, whole
        assert dead.calls == 2 and log.exists() and project.is_saved(doc)  # (test_review3_s33_refused_log_heals)
        project.save_document(doc)  # the retry the app makes (the whole mask) changes nothing now
        assert project.is_saved(doc)
        tools.brush(doc, [(40.0, 20.0)], 2.0)
        want = doc.mask.copy()
        assert dead.calls == 3
        project.finish_saves(wait=True)
        assert project.is_saved(doc)
    with Project.open(folder) as again:
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(want)
        assert np.array_equal(again.load_mask(doc.image_id), want)


def test_a_project_opened_again_takes_records_where_the_one_closed_had_a_record_fail(
        tmp_path: Path, dead: DeadLog) -> None:
    folder = make_images(tmp_path / "images", seed=7, count=2)
    with Project.open(folder) as project:
        image_id = project.ids[0]
        project.save_mask(image_id, np.zeros(project.open_document(image_id).shape, np.uint8), "edited")
        project.save_in_background = True
        doc = project.open_document(image_id)
        tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)  # a rectangle over the mask file: stuck, then fails
        dead.fail = True
        dead.released.set()
    dead.fail = False
    with Project.open(folder) as again:
        again.save_in_background = True
        events: list[tuple] = []
        again.events.connect(events.append)
        doc = again.open_document(image_id)
        tools.brush(doc, [(30.0, 8.0)], 2.0)  # a rectangle over the mask file, by another project
        want = doc.mask.copy()
        again.finish_saves(wait=True)
        assert [e[:2] for e in events] == [("saved", image_id)], events
    with Project.open(folder) as last:
        assert np.array_equal(last.load_mask(image_id), want)
