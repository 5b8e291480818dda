"""A failed journal fsync of background saves (`fosp_core.annotation.mask_saves`) is told like any
failed save: a ``save_failed`` event whose reason says the save cannot be made durable (the app's
advice points at the disk), `last_error`, the image's document not saved (`is_saved` false: the
app counts it) while its recovery log stays; the next save writes the image's line again, and once
that line's fsync works the image is saved again (a ``saved`` event) and its log goes.

An EIO from fsync may mean a failing disk: before, the logs were kept (nothing lost) but nothing
was told and the document read as saved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from tests.unit.crash_disk import make_images, mask_hash
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")

Event = tuple[str, str, "ProjectError | None"]


def _stroke(project: Project, doc: AnnotationDocument, y: float) -> None:
    """A brush stroke of `doc`, its PNG written (the journal line and its fsync not yet taken)."""
    tools.brush(doc, [(y, 5.0), (y + 10.0, 20.0)], 3)
    assert project._saver is not None
    project._saver.wait(doc.image_id)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    return disk


def _open(tmp_path: Path, seed: int) -> tuple[Project, list[Event]]:
    project = Project.open(make_images(tmp_path / "images", seed=seed, count=3))
    project.save_in_background = True
    events: list[Event] = []
    project.events.connect(events.append)
    return project, events


def _commit_while_the_journal_fails(project: Project, disk: Disk, doc: AnnotationDocument) -> None:
    """A stroke of `doc` whose journal line's fsync fails (the disk left failing), all saves finished."""
    _stroke(project, doc, 5.0)
    disk.fail_journal = True
    project.finish_saves(wait=True)


def test_a_failed_journal_fsync_is_told_and_the_image_not_saved(tmp_path: Path, disk: Disk) -> None:
    project, events = _open(tmp_path, seed=11)
    try:
        doc = project.open_document(project.ids[0])
        _commit_while_the_journal_fails(project, disk, doc)
        assert disk.failed == 1
        failed = [e for e in events if e[0] == "save_failed"]
        assert [(kind, image) for kind, image, _ in failed] == [("save_failed", doc.image_id)], events
        error = failed[0][2]
        assert error is not None and project.last_error is error
        assert "cannot make it durable" in error.reason and "Input/output error" in error.reason
        assert not project.is_saved(doc), "a commit whose journal line may not be durable read as saved"
        assert log_path(project.mask_path(doc.image_id)).exists(), "the log that keeps the commit went"
    finally:
        disk.fail_journal = False
        project.close()


def test_the_next_save_writes_the_line_again_and_its_fsync_saves_the_image(tmp_path: Path, disk: Disk) -> None:
    project, events = _open(tmp_path, seed=12)
    images = project.folder.parent
    try:
        first, second = (project.open_document(image_id) for image_id in project.ids[:2])
        _commit_while_the_journal_fails(project, disk, first)
        assert not project.is_saved(first)
        expected = mask_hash(first.mask)
        disk.fail_journal = False
        events.clear()
        _stroke(project, second, 8.0)  # the next save, of another image
        project.finish_saves(wait=True)
        assert project.is_saved(first) and project.is_saved(second)
        assert ("saved", first.image_id, None) in events, "the image saved again was not told"
        assert not [e for e in events if e[0] == "save_failed"]
        assert not log_path(project.mask_path(first.image_id)).exists()
        with Project.open(disk.crash_copy(images, tmp_path / "power", "power")) as again:
            mask = again.load_mask(first.image_id)
            assert mask is not None and mask_hash(mask) == expected, "after a power loss the commit is gone"
    finally:
        project.close()


def test_a_save_while_the_disk_still_fails_tells_both_images(tmp_path: Path, disk: Disk) -> None:
    project, events = _open(tmp_path, seed=13)
    try:
        first, second = (project.open_document(image_id) for image_id in project.ids[:2])
        _commit_while_the_journal_fails(project, disk, first)
        events.clear()
        _stroke(project, second, 8.0)
        project.finish_saves(wait=True)
        assert disk.failed == 2
        assert sorted(image for kind, image, _ in events if kind == "save_failed") == sorted(
            [first.image_id, second.image_id])
        assert not project.is_saved(first) and not project.is_saved(second)
        assert all(log_path(project.mask_path(d.image_id)).exists() for d in (first, second))
        disk.fail_journal = False
        events.clear()
        tools.brush(second, [(30.0, 30.0), (35.0, 35.0)], 2)  # the disk works again
        assert project._saver is not None
        project._saver.wait(second.image_id)
        project.finish_saves(wait=True)
        assert project.is_saved(first) and project.is_saved(second)
        assert not any(log_path(project.mask_path(d.image_id)).exists() for d in (first, second))
    finally:
        disk.fail_journal = False
        project.close()


def test_a_later_commit_of_the_image_stands_on_its_own_save(tmp_path: Path, disk: Disk) -> None:
    project, events = _open(tmp_path, seed=14)
    try:
        doc = project.open_document(project.ids[0])
        _commit_while_the_journal_fails(project, disk, doc)
        assert not project.is_saved(doc)
        disk.fail_journal = False
        _stroke(project, doc, 20.0)  # the user goes on: the new commit is its own save
        assert project.is_saved(doc)
        project.finish_saves(wait=True)
        assert project.is_saved(doc) and not log_path(project.mask_path(doc.image_id)).exists()
        mask = np.array(doc.mask)
    finally:
        project.close()
    with Project.open(project.folder.parent) as again:
        saved = again.load_mask(doc.image_id)
        assert saved is not None and mask_hash(saved) == mask_hash(mask)
