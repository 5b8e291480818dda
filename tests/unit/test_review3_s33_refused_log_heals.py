"""A recovery-log record that failed after its commit returned (the folder stalled, then the disk full) made
the log refuse every later record of the image until the image was saved another way (a whole mask): with the
disk answering again and the annotator still on that image, each later edit failed with the old words ('disk
full'), its record not written, no PNG queued - not saved while the disk was fine, lost to a kill. A commit
whose log refuses records now starts the log again with a whole-mask record (written even while it refuses):
saved and logged at once when the disk answers. The dead disk: the log's append blocks on an Event, then fails
(ENOSPC) or writes."""

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
from tests.unit.crash_worker import make_images


class DeadLog:
    """`mask_saves.append_record` that blocks on `released`, then fails with ENOSPC (`fail`) or writes."""

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
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)
    yield log
    log.released.set()


def test_edits_after_the_disk_answers_again_are_saved_although_a_queued_record_failed(
        tmp_path: Path, dead: DeadLog) -> None:
    folder = make_images(tmp_path / "images", seed=5, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        log = log_path(project.mask_path(doc.image_id))
        events: list[tuple] = []
        project.events.connect(events.append)
        tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)  # returns with its record stuck
        assert dead.stuck.wait(10)
        dead.fail = True
        dead.released.set()  # the record fails after the commit returned
        deadline = time.monotonic() + 30
        while log_sync.appends_waiting(log) and time.monotonic() < deadline:
            time.sleep(0.01)
        project.finish_saves(wait=True)
        assert [e[:2] for e in events] == [("save_failed", doc.image_id)]  # told
        dead.fail = False  # the disk answers again; the annotator goes on with the same image
        tools.brush(doc, [(10.0, 30.0)], 2.0)
        project.finish_saves(wait=True)
        assert events[-1][:2] == ("saved", doc.image_id), events[-1]
        assert project.is_saved(doc)
        tools.brush(doc, [(30.0, 8.0)], 2.0)  # and the next one as usual (a rectangle)
        want = doc.mask.copy()
        assert project.is_saved(doc)  # its record written when the commit returned
        project.finish_saves(wait=True)
        assert events[-1][:2] == ("saved", doc.image_id)
    with Project.open(folder) as again:
        assert np.array_equal(again.load_mask(doc.image_id), want)


def test_a_kill_after_the_disk_answers_again_keeps_the_edits_that_returned(tmp_path: Path, dead: DeadLog) -> None:
    """The edits made once the disk answers are in the log when they return (no PNG written: a kill)."""
    folder = make_images(tmp_path / "images", seed=6, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        log = log_path(project.mask_path(doc.image_id))
        tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)
        assert dead.stuck.wait(10)
        dead.fail = True
        dead.released.set()
        deadline = time.monotonic() + 30
        while log_sync.appends_waiting(log) and time.monotonic() < deadline:
            time.sleep(0.01)
        project.finish_saves(wait=True)
        dead.fail = False
        project._saver.submit = lambda job: None  # type: ignore[union-attr,method-assign]  # no PNG from now on
        tools.brush(doc, [(10.0, 30.0)], 2.0)
        tools.brush(doc, [(30.0, 8.0)], 2.0)
        want = doc.mask.copy()
        assert project.is_saved(doc)
        project._saver = None  # as after a kill: the log is all there is
    with Project.open(folder) as again:
        assert np.array_equal(again.load_mask(doc.image_id), want)


def test_the_whole_record_after_a_failed_one_is_not_failed_by_that_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The failed record's error waited for the next `sync_log` of the log: a PNG job of the commit whose whole
    record restarted the log (coalesced with the failed commit's job, which had not run yet) failed with it
    ('disk full'), although the log then ended with its whole mask. A whole record written makes that
    failure moot, as `log_restarted` does."""
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)
    folder = make_images(tmp_path / "images", seed=8, count=2)
    released, png_held = threading.Event(), threading.Event()
    real_append, real_write = mask_saves.append_record, mask_saves.atomic_write
    failed_once: list[Path] = []

    def append(path: Path, line: bytes) -> None:
        assert released.wait(60)
        if path.name.startswith("img00") and not failed_once:
            failed_once.append(path)
            raise StorageError(path, "cannot write: disk full", errno.ENOSPC)
        real_append(path, line)

    def write(path: Path, data: bytes, **kwargs: object) -> None:
        if Path(path).name.startswith("img01"):
            assert png_held.wait(60)  # the other image's PNG holds the save thread
        real_write(path, data, **kwargs)

    monkeypatch.setattr(mask_saves, "append_record", append)
    monkeypatch.setattr(mask_saves, "atomic_write", write)
    try:
        with Project.open(folder) as project:
            project.save_in_background = True
            other, doc = project.open_document(project.ids[1]), project.open_document(project.ids[0])
            log = log_path(project.mask_path(doc.image_id))
            events: list[tuple] = []
            project.events.connect(events.append)
            tools.brush(other, [(5.0, 5.0)], 3.0)  # its job runs first, held at its PNG
            tools.brush(doc, [(5.0, 5.0), (20.0, 12.0)], 3.0)  # queued: fails once the disk answers
            released.set()
            deadline = time.monotonic() + 30
            while not log_sync.refuses(log) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert log_sync.refuses(log)
            tools.brush(doc, [(10.0, 30.0)], 2.0)  # the disk answers: written whole; its job takes the waiting one's place
            want = doc.mask.copy()
            png_held.set()
            project.finish_saves(wait=True)
            mine = [e[:2] for e in events if e[1] == doc.image_id]
            assert mine == [("saved", doc.image_id)], events
            assert project.is_saved(doc)
        with Project.open(folder) as again:
            assert np.array_equal(again.load_mask(doc.image_id), want)
    finally:
        released.set()
        png_held.set()
