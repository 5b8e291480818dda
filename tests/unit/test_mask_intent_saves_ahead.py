"""A mask save's intent line (`fosp_core.annotation.mask_intents`) holds the entry as it is in memory,
and it is fsynced (abd3f91). An image whose commit is still in the background save's hands (its record
in the recovery log, not yet fsynced by the save thread) shows that commit's status in memory at once,
ahead of the journal. An Import Labels (overwrite) reaching that image fsynced the intent line with
that status before its save waited for the background one (`save_mask`'s `flush_image`): a power loss
then kept a journal saying REVIEWED and lost the log that held the commit - an image "reviewed" with
no mask. The intent now waits for the image's background saves first, as its save does. On the
simulated disk of `tests.unit.settle_disk` (a power loss copy taken at each journal fsync); the
background job held at a `Gate` until a save waits for it. Linux only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import JOURNAL_FILE
from tests.unit.disk_project import disk_project
from tests.unit.settle_disk import Gate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


def test_an_intent_never_says_a_status_its_log_may_lose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk, images, project, image_id = disk_project(tmp_path, monkeypatch, seed=13)
    gate = Gate(lambda _: None)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    copies: list[Path] = []
    held_fsync = os.fsync

    def fsync(fd: int) -> None:  # a power loss right after each journal fsync of this thread
        held_fsync(fd)
        if os.readlink(f"/proc/self/fd/{fd}").endswith(JOURNAL_FILE) and not copies:
            copies.append(disk.crash_copy(images, tmp_path / f"power{len(copies)}", "power"))

    def flush_image(image_id: str, real=Project.flush_image) -> None:
        with gate._cond:  # noqa: SLF001 - a save that waits for the background one lets it through
            gate._open = True  # noqa: SLF001
            gate._cond.notify_all()  # noqa: SLF001
        real(project, image_id)

    labels = tmp_path / "labels"
    labels.mkdir()
    try:
        project.set_status(project.ids[1], Status.REVIEWED)  # the journal made (and its folder entry durable)
        doc = project.open_document(image_id)
        tools.brush(doc, [(5.0, 5.0), (15.0, 15.0)], 3)  # held at the gate: its log record not fsynced
        doc.set_status(Status.REVIEWED)
        wanted = doc.mask.copy()
        Image.fromarray(np.where(wanted == 1, 0, 255).astype(np.uint8)).save(labels / f"{image_id}.png")
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(project, "flush_image", flush_image)
        report = project.import_labels(labels, overwrite=True, ids=[image_id])
        assert report.imported == [image_id]
    finally:
        monkeypatch.setattr(os, "fsync", held_fsync)
        with gate.opened(lambda: project._saver):  # noqa: SLF001
            project.close()
    assert copies, "no journal fsync during the import"
    with Project.open(copies[0]) as reopened:
        status, mask = reopened.entry(image_id).status, reopened.load_mask(image_id)
    if status == Status.REVIEWED:  # the commit's status: its pixels must be there too
        assert mask is not None and np.array_equal(mask, wanted), "REVIEWED without the reviewed mask"
    else:
        assert status == Status.UNLABELED and mask is None
