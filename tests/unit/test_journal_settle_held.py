"""The journal fsync of background saves held on the save thread (`fosp_core.annotation.mask_saves`:
an image's recovery log goes once that fsync's end is taken, unless a record was appended to the log
since its line was written): what else may write the log meanwhile, or own it by then.

- a status set outside any document (`Project.set_status`) appends a record to the log whose line is
  still awaiting its fsync; when that record must stay (its journal line not durable, or not
  written and the record not taken back) the fsync's end must not remove the log with it;
- a project taken over by another program while the fsync was pending: that program now owns the
  project's files, its own recovery log of the image included; the fsync's end must not delete it.
"""

from __future__ import annotations

import errno
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, status_saves, tools
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.project import JOURNAL_FILE, Project
from fosp_core.annotation.recovery import log_path, read_log
from fosp_core.annotation.storage import atomic_write
from fosp_core.io import atomic
from tests.unit.crash_worker import make_images


@pytest.fixture
def held_fsync(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The save thread's journal fsync (`mask_saves._sync_journal`) held until the event is set."""
    release, real = threading.Event(), mask_saves._sync_journal

    def held(job: mask_saves.SaveJob) -> None:
        assert release.wait(60)
        real(job)

    monkeypatch.setattr(mask_saves, "_sync_journal", held)
    yield release
    release.set()


def _line_written_fsync_held(project: Project) -> tuple[AnnotationDocument, Path]:
    """A background commit of the first image whose PNG is written and journal line appended, its
    journal fsync queued (held); (its document, its recovery log)."""
    project.save_in_background = True
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
    assert project._saver is not None
    project._saver.wait(doc.image_id)
    assert project.finish_saves() == 1 and project._settles_out == 1  # the line; its fsync held
    log = log_path(project.mask_path(doc.image_id))
    assert log.exists()
    return doc, log


def test_a_status_kept_in_the_log_outlives_the_pending_journal_fsync(tmp_path: Path, held_fsync: threading.Event,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_images(tmp_path / "images", seed=3, count=2)
    project = Project.open(folder)
    try:
        doc, log = _line_written_fsync_held(project)
        image_id = doc.image_id
        project.write_state()  # a compaction: the journal folded into project.json and removed
        assert not (project.folder / JOURNAL_FILE).exists()

        def eio(folder: Path) -> None:
            raise atomic.NotDurableError(errno.EIO, "Input/output error", str(folder))

        real_fsync_dir = atomic.fsync_dir
        monkeypatch.setattr(atomic, "fsync_dir", eio)  # the journal created by the status's line: not durable
        with pytest.raises(status_saves.NotDurableSaveError):
            project.set_status(image_id, "reviewed")
        monkeypatch.setattr(atomic, "fsync_dir", real_fsync_dir)
        assert read_log(log)[-1].status == "reviewed"  # the record kept: its line may not survive a power loss
        held_fsync.set()
        project.finish_saves(wait=True)
        assert log.exists(), "the record that keeps the status was removed with the earlier line's log"
        assert read_log(log)[-1].status == "reviewed"
    finally:
        held_fsync.set()
        project.close()
    with Project.open(folder) as again:
        assert again.entry(image_id).status == Status.REVIEWED


def test_a_status_whose_line_failed_and_record_stayed_outlives_the_pending_fsync(
        tmp_path: Path, held_fsync: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_images(tmp_path / "images", seed=4, count=2)
    project = Project.open(folder)
    try:
        doc, log = _line_written_fsync_held(project)
        image_id = doc.image_id
        real_record = Project.record_state

        def full(self: Project, entry: object, *, durable: bool = True) -> None:
            raise status_saves.ProjectSaveError(self.folder / JOURNAL_FILE, "cannot write: disk full")

        monkeypatch.setattr(Project, "record_state", full)
        monkeypatch.setattr(status_saves, "_take_back", lambda path, size: False)  # an I/O error cutting it back
        with pytest.raises(status_saves.ProjectSaveError, match="kept in the recovery log"):
            project.set_status(image_id, "reviewed")
        monkeypatch.setattr(Project, "record_state", real_record)
        held_fsync.set()
        project.finish_saves(wait=True)
        assert log.exists() and read_log(log)[-1].status == "reviewed", \
            "the status the user was told is kept in the recovery log was removed with it"
    finally:
        held_fsync.set()
        project.close()
    with Project.open(folder) as again:
        assert again.entry(image_id).status == Status.REVIEWED


def test_a_journal_fsync_ended_after_a_take_over_leaves_the_new_holders_log(tmp_path: Path,
                                                                            held_fsync: threading.Event) -> None:
    folder = make_images(tmp_path / "images", seed=5, count=2)
    project = Project.open(folder)
    try:
        _doc, log = _line_written_fsync_held(project)
        # another computer's FoSp Studio takes the project over, applies the log (its PNG and line
        # written), and its own next commit of the image starts a log of its own at the same path
        atomic_write(project.folder / "lock", json.dumps({"pid": 4242, "host": socket.gethostname() + "-other",
                                                          "created": 1.0, "user": "them"}).encode())
        theirs = b'{"theirs": "a record of the other holder"}\n'
        log.write_bytes(theirs)
        held_fsync.set()
        project.finish_saves(wait=True)
        assert project.read_only  # told taken over
        assert log.exists() and log.read_bytes() == theirs, "the other holder's recovery log was deleted"
    finally:
        held_fsync.set()
        project.close()


def test_the_pending_fsync_still_removes_the_log_when_nothing_came_between(tmp_path: Path,
                                                                          held_fsync: threading.Event) -> None:
    folder = make_images(tmp_path / "images", seed=6, count=2)
    with Project.open(folder) as project:
        doc, log = _line_written_fsync_held(project)
        image_id = doc.image_id
        project.set_status(project.ids[1], "reviewed")  # another image's status: not its log
        held_fsync.set()
        project.finish_saves(wait=True)
        assert not log.exists()
        assert project.is_saved(doc)
        assert np.array_equal(project.load_mask(image_id), doc.mask)


def test_a_save_taken_inside_a_batch_keeps_its_log_until_its_state_is_written(tmp_path: Path) -> None:
    """Inside a `batch` a save's state is not a journal line but waits for the batch's end
    (``project.json``): the journal fsync queued meanwhile must not let its log go, or a kill
    before the batch ends loses the commit's status (the PNG holds the mask alone)."""
    folder = make_images(tmp_path / "images", seed=7, count=2)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
        doc.set_status("reviewed")
        log = log_path(project.mask_path(doc.image_id))
        journal = project.folder / JOURNAL_FILE
        with project.batch():
            project.finish_saves(wait=True)  # e.g. an import's save_mask flushing this image
            assert b'"reviewed"' not in (journal.read_bytes() if journal.exists() else b"")  # deferred
            assert log.exists(), "the log went while the commit's state was in memory only"
        assert project.entry(doc.image_id).status == Status.REVIEWED
