"""A ``project.json`` rewrite while a background commit's record is not yet durable (its PNG job, which
fsyncs its recovery log, still waiting on the save thread) must not make that commit's status durable
without its pixels.

`BackgroundSaves.record_commit` shows the commit's status in the entry at once (its journal line comes
once its PNG is written; `_journaled` keeps the journal's status meanwhile). An inline rewrite of
``project.json`` (the journal's compaction, due at another image's durable status line) dumped the
entries as shown: after a power loss (the log never fsynced: gone) the image came back with the new
status over the old mask - neither its last durable state nor its newest one (seen once as a flake of
`test_journal_settle_fuzz` seed 2: "a power loss showed img00 at (...,'edited')"). The save thread is
held at `settle_disk.Gate` (no sleep: the job waits until the test lets it through).
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
from fosp_core.annotation.project import Project
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
        f"a power loss showed img00 at {power}: the status of a commit whose record was not durable over "
        f"the mask before it (durable {durable}, newest {newest})")


@pytest.mark.parametrize("how", ["inline", "background", "write_state"])
def test_a_rewrite_keeps_a_status_not_yet_durable_out_of_project_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """`how`: the compaction due at another image's line, inline or on its thread; or, compacting in
    background, ``project.json`` written inline (as a batch's end does), then a rewrite on its thread."""
    disk, gate = Disk(), Gate(lambda image_id: None)
    monkeypatch.setattr(os, "fsync", disk.fsync)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    images = make_images(tmp_path / "images", seed=3, count=2)
    project = Project.open(images)
    try:
        project.save_in_background = True
        project.compact_in_background = how != "inline"
        doc = project.open_document("img00")
        tools.brush(doc, [(5.0, 5.0), (15.0, 12.0)], 4.0)
        with gate.opened(lambda: project._saver):
            project.finish_saves(wait=True)  # the PNG and its line durable, the log gone
        doc.set_status(Status.REVIEWED)  # a journal line alone, durable in the call
        assert project.is_saved(doc)
        durable = (mask_hash(doc.mask), Status.REVIEWED.value)

        tools.brush(doc, [(20.0, 20.0), (8.0, 18.0)], 5.0)  # its record written, not fsynced: its PNG job held
        assert doc.status == Status.EDITED and project.saves_under_way() == ["img00"]
        newest = (mask_hash(doc.mask), Status.EDITED.value)

        if how == "write_state":
            project.write_state()
            _check(disk, images, tmp_path / "written", doc.shape, durable, newest)
        monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 0)
        project.set_status("img01", Status.REVIEWED)  # another image's durable line: the journal compacted
        if project._rewrite is not None:
            project.finish_compaction(wait=True)
        assert project.saves_under_way() == ["img00"]
        _check(disk, images, tmp_path / "compacted", doc.shape, durable, newest)

        gate.step(project._saver)  # the log fsynced, the PNG written
        assert project.finish_saves() == 1  # its line written (the journal's status now), its fsync queued
        project.set_status("img01", Status.EDITED)  # compacted again: the line folded into project.json
        if project._rewrite is not None:
            project.finish_compaction(wait=True)
        with gate.opened(lambda: project._saver):  # the journal's fsync: the log goes
            project.finish_saves(wait=True)
        assert not project.saves_under_way()
        _check(disk, images, tmp_path / "saved", doc.shape, newest, newest)
    finally:
        with gate.opened(lambda: project._saver):
            project.close()
