"""A background save that failed before its recovery log was fsynced (the save thread's `sync_log` refused)
leaves the commit's status shown ahead of the journal (`_journaled` keeps the journal's; the log, not durable,
holds the commit). A rewrite of ``project.json`` on its thread must not make that status durable: it writes the
rows captured, and a capture made after the failure - compacting in background turned on, or the image's
document opened again (its entry captured as read) - took the status shown. After a power loss the image came
back with it over the mask before the commit. No sleep: the failing job is the test's `_write`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation import project as project_module
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.project import Project
from fosp_core.annotation.save_worker import SaveJob
from tests.unit.crash_disk import make_images, mask_hash
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _shown(folder: Path, image_id: str, shape: tuple[int, int]) -> tuple[str, str]:
    with Project.open(folder) as again:
        mask = again.load_mask(image_id)
        return mask_hash(np.zeros(shape, np.uint8) if mask is None else mask), again.entry(image_id).status.value


@pytest.mark.parametrize("capture", ["turned_on", "document"])
def test_a_failed_background_save_keeps_its_status_out_of_a_background_rewrite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capture: str) -> None:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    real_write, failing = mask_saves._write, [False]

    def write(job: SaveJob) -> None:
        if failing[0] and job.settles is None:
            job.error = ProjectSaveError(job.path, "cannot write: Input/output error")  # before the log's fsync
            return
        real_write(job)

    monkeypatch.setattr(mask_saves, "_write", write)
    images = make_images(tmp_path / "images", seed=7, count=2)
    project = Project.open(images)
    try:
        project.save_in_background = True
        project.compact_in_background = capture == "document"
        doc = project.open_document("img00")
        tools.brush(doc, [(5.0, 5.0), (15.0, 12.0)], 4.0)
        project.finish_saves(wait=True)
        doc.set_status(Status.REVIEWED)
        durable = (mask_hash(doc.mask), Status.REVIEWED.value)
        failing[0] = True
        tools.brush(doc, [(20.0, 20.0), (8.0, 18.0)], 5.0)
        newest = (mask_hash(doc.mask), Status.EDITED.value)
        project.finish_saves(wait=True)
        assert not project.is_saved(doc) and project.entry("img00").status == Status.EDITED
        failing[0] = False
        if capture == "turned_on":
            project.compact_in_background = True
        else:
            project.open_document("img00", autosave=False)
        monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 0)
        project.set_status("img01", Status.REVIEWED)  # another image's line: the rewrite on its thread
        assert project._rewrite is not None
        project.finish_compaction(wait=True)
        power = _shown(disk.crash_copy(images, tmp_path / "power", "power"), "img00", doc.shape)
        assert power in (durable, newest), (
            f"a power loss showed img00 at {power}: the status of a failed save over the mask before it "
            f"(durable {durable}, newest {newest})")
        assert _shown(disk.crash_copy(images, tmp_path / "kill", "kill"), "img00", doc.shape) == newest
    finally:
        project.close()


def test_a_status_set_over_a_failed_background_save_waits_for_its_log_to_be_durable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`set_status` of that image (from the list) appends a status record to its log, then a durable journal
    line: the log, created by the failed commit and never fsynced with its folder, must be durable first, or a
    power loss drops it and leaves the line's status over the mask before it."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    real_write, failing = mask_saves._write, [False]

    def write(job: SaveJob) -> None:
        if failing[0] and job.settles is None:
            job.error = ProjectSaveError(job.path, "cannot write: Input/output error")  # before the log's fsync
            return
        real_write(job)

    monkeypatch.setattr(mask_saves, "_write", write)
    images = make_images(tmp_path / "images", seed=7, count=2)
    project = Project.open(images)
    try:
        project.save_in_background = True
        doc = project.open_document("img00")
        tools.brush(doc, [(5.0, 5.0), (15.0, 12.0)], 4.0)
        project.finish_saves(wait=True)
        doc.set_status(Status.REVIEWED)
        durable = (mask_hash(doc.mask), Status.REVIEWED.value)
        failing[0] = True
        tools.brush(doc, [(20.0, 20.0), (8.0, 18.0)], 5.0)
        project.finish_saves(wait=True)
        assert not project.is_saved(doc)
        project.set_status("img00", Status.UNLABELED)  # from the list: a status record in its log, then the line
        newest = (mask_hash(doc.mask), Status.UNLABELED.value)
        power = _shown(disk.crash_copy(images, tmp_path / "power", "power"), "img00", doc.shape)
        assert power in (durable, newest), (
            f"a power loss showed img00 at {power}: a status set over a log not durable, over the mask before it "
            f"(durable {durable}, newest {newest})")
        assert _shown(disk.crash_copy(images, tmp_path / "kill", "kill"), "img00", doc.shape) == newest
    finally:
        failing[0] = False
        project.close()
