"""A project opened again after a kill, whose recovery log could not be applied then (its save failed: a full
disk), shows the log's last status (`RecoveryState.note_pending_logs`); a later rewrite of ``project.json``
must not make that status durable while the log, left by the killed process in the page cache, is not.

The killed process's log was never fsynced (its PNG job held at `settle_disk.Gate`); the opening does not fsync
it either. Written into ``project.json`` (the compaction due at another image's status line, or the close),
that status came back after a power loss over the mask before the log - neither the image's last durable state
nor its newest (a reviewed image came back 'edited'). No sleep: the save thread waits at the gate.
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
from fosp_core.annotation.recovery import log_path
from tests.unit.crash_disk import make_images, mask_hash
from tests.unit.settle_disk import Disk, Gate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _shown(folder: Path, image_id: str, shape: tuple[int, int]) -> tuple[str, str]:
    with Project.open(folder) as again:
        mask = again.load_mask(image_id)
        return mask_hash(np.zeros(shape, np.uint8) if mask is None else mask), again.entry(image_id).status.value


def _check(disk: Disk, images: Path, to: Path, shape: tuple[int, int], durable: tuple[str, str],
           newest: tuple[str, str]) -> None:
    assert _shown(disk.crash_copy(images, to / "kill", "kill"), "img00", shape) == newest
    power = _shown(disk.crash_copy(images, to / "power", "power"), "img00", shape)
    assert power in (durable, newest), (
        f"a power loss showed img00 at {power}: the status of a recovery log never made durable over the mask "
        f"before it (durable {durable}, newest {newest})")


def _killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: Disk) -> tuple[Path, tuple, tuple, tuple]:
    """A project whose img00 was reviewed (durable), then painted: its record written, never fsynced (the PNG
    job held), and the process killed. Returns the kill's copy, img00's shape, its durable and newest state."""
    gate = Gate(lambda image_id: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    images = make_images(tmp_path / "images", seed=5, count=2)
    project = Project.open(images)
    try:
        project.save_in_background = True
        doc = project.open_document("img00")
        tools.brush(doc, [(5.0, 5.0), (15.0, 12.0)], 4.0)
        with gate.opened(lambda: project._saver):
            project.finish_saves(wait=True)
        doc.set_status(Status.REVIEWED)  # a journal line alone, durable in the call
        durable = (mask_hash(doc.mask), Status.REVIEWED.value)
        tools.brush(doc, [(20.0, 20.0), (8.0, 18.0)], 5.0)  # its record written, not fsynced: its PNG job held
        assert project.saves_under_way() == ["img00"]
        newest = (mask_hash(doc.mask), Status.EDITED.value)
        killed = disk.crash_copy(images, tmp_path / "killed", "kill")
        shape = doc.shape
    finally:
        with gate.opened(lambda: project._saver):
            project.close()
    monkeypatch.setattr(mask_saves, "_write", gate._real)
    return killed, shape, durable, newest


@pytest.mark.parametrize("how", ["compacted", "closed", "background", "document"])
def test_a_log_not_applied_at_the_opening_keeps_its_status_out_of_project_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """`how`: ``project.json`` rewritten by the compaction due at another image's durable status line (inline;
    on its thread, compacting in background turned on after the opening as the app does; the same after the
    image's document was opened, which captures its entry again), or by the close (the journal folded in)."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    killed, shape, durable, newest = _killed(tmp_path, monkeypatch, disk)
    assert log_path(killed / ".fosp" / "masks" / "img00.png").exists()

    real_save_mask, failing = Project.save_mask, [True]

    def save_mask(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
        if failing[0]:
            raise ProjectSaveError(project.mask_path(image_id), "cannot write: disk full")
        real_save_mask(project, image_id, *args, **kwargs)

    monkeypatch.setattr(Project, "save_mask", save_mask)
    project = Project.open(killed)  # the log not applied (disk full): its status shown, the log left
    failing[0] = False
    try:
        assert project.pending_logs == ["img00"] and not project.read_only
        assert project.entry("img00").status == Status.EDITED  # the log's last word, in memory
        project.compact_in_background = how in ("background", "document")
        if how == "document":
            project.open_document("img00")  # the log applied over the file; the entry captured again
        if how != "closed":
            monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 0)
        project.set_status("img01", Status.REVIEWED)  # another image's durable line: the journal compacted
        if project._rewrite is not None:
            project.finish_compaction(wait=True)
    finally:
        project.close()
    _check(disk, killed, tmp_path / how, shape, durable, newest)


def test_a_log_not_applied_at_the_opening_then_saved_stays_whole_at_each_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After such an opening, room again: the image reviewed from its document, then painted (a record in the
    log, not fsynced: its PNG job held), another image's line compacting ``project.json`` on its thread after
    each; then every save taken. At each step a kill shows the newest state, a power loss the last durable one
    (the state before the killed process's log until the save thread fsyncs that log) or the newest."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    killed, shape, durable, (logged_mask, _) = _killed(tmp_path, monkeypatch, disk)
    real_save_mask, failing = Project.save_mask, [True]

    def save_mask(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
        if failing[0]:
            raise ProjectSaveError(project.mask_path(image_id), "cannot write: disk full")
        real_save_mask(project, image_id, *args, **kwargs)

    monkeypatch.setattr(Project, "save_mask", save_mask)
    project = Project.open(killed)
    failing[0] = False
    gate = Gate(lambda image_id: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 0)
    try:
        assert project.pending_logs == ["img00"]
        project.save_in_background = True
        project.compact_in_background = True
        doc = project.open_document("img00")
        assert mask_hash(doc.mask) == logged_mask
        doc.set_status(Status.REVIEWED)
        reviewed = (logged_mask, Status.REVIEWED.value)

        def compacted(status: Status) -> None:
            project.set_status("img01", status)
            if project._rewrite is not None:
                project.finish_compaction(wait=True)

        compacted(Status.REVIEWED)
        _check(disk, killed, tmp_path / "reviewed", shape, durable, reviewed)
        tools.brush(doc, [(30.0, 10.0), (10.0, 30.0)], 3.0)  # its record written, its PNG job held
        painted = (mask_hash(doc.mask), Status.EDITED.value)
        compacted(Status.EDITED)
        _check(disk, killed, tmp_path / "painted", shape, durable, painted)
        with gate.opened(lambda: project._saver):
            project.finish_saves(wait=True)
        assert not project.pending_logs and not project.saves_under_way()
        compacted(Status.REVIEWED)
        _check(disk, killed, tmp_path / "saved", shape, painted, painted)
    finally:
        with gate.opened(lambda: project._saver):
            project.close()


def test_a_status_set_over_a_log_not_applied_at_the_opening_waits_for_the_log_to_be_durable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`set_status` of that image appends a status record to its log (fsynced: the killed process's records
    before it too), then the journal line. The log's creation by the killed process is no entry of its folder
    that an fsync made durable: the line (and ``project.json``) must not say the status before it is, or a power
    loss drops the log and leaves that status over the mask before it."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    killed, shape, durable, (logged_mask, _) = _killed(tmp_path, monkeypatch, disk)
    real_save_mask, failing = Project.save_mask, [True]

    def save_mask(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
        if failing[0]:
            raise ProjectSaveError(project.mask_path(image_id), "cannot write: disk full")
        real_save_mask(project, image_id, *args, **kwargs)

    monkeypatch.setattr(Project, "save_mask", save_mask)
    project = Project.open(killed)
    failing[0] = False
    try:
        assert project.pending_logs == ["img00"]
        project.set_status("img00", Status.EDITED)  # the log's status, now said by a durable journal line
    finally:
        project.close()
    _check(disk, killed, tmp_path / "set", shape, durable, (logged_mask, Status.EDITED.value))


@pytest.mark.parametrize("then", ["compacted", "background", "painted"])
def test_a_log_applied_at_the_opening_leaves_a_whole_state_at_each_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str) -> None:
    """A guard, no defect found: the opening applies the killed process's log (the PNG written and fsynced, its
    state a durable journal line, the log removed, the journal folded into ``project.json``); `then`: another
    image's line compacting inline or on its thread, or the image painted again (its PNG job held) and the
    compaction on its thread. A power loss shows the recovered state or a later one, a kill the newest."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    killed, shape, _durable, newest = _killed(tmp_path, monkeypatch, disk)
    project = Project.open(killed)
    gate = Gate(lambda image_id: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 0)
    try:
        assert project.recovered == ["img00"] and not project.pending_logs
        assert not log_path(killed / ".fosp" / "masks" / "img00.png").exists()
        _check(disk, killed, tmp_path / "opened", shape, newest, newest)
        project.save_in_background = True
        project.compact_in_background = then != "compacted"
        latest = newest
        if then == "painted":
            doc = project.open_document("img00")
            tools.brush(doc, [(30.0, 10.0), (10.0, 30.0)], 3.0)  # its record written, its PNG job held
            latest = (mask_hash(doc.mask), Status.EDITED.value)
        project.set_status("img01", Status.REVIEWED)
        if project._rewrite is not None:
            project.finish_compaction(wait=True)
        _check(disk, killed, tmp_path / then, shape, newest, latest)
    finally:
        with gate.opened(lambda: project._saver):
            project.close()
