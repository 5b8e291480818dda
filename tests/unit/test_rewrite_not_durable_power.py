"""A ``project.json`` rewrite whose folder fsync failed (EIO: `fosp_core.io.atomic.NotDurableError`)
is in place, so the project takes its generation N and later journal lines name N. A power loss may
bring back the file before it (generation G): the lines of N then never apply, and every save since
the rewrite was lost, though its line was fsynced (its recovery log gone with it). The rule: a line
names every generation whose ``project.json`` a power loss may bring back (G as well as N), until
a rewrite is made durable or a fsync of the folder works.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.unit.crash_worker import make_images, mask_hash
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _power(disk: Disk, images: Path, to: Path, image_id: str) -> tuple[str, str]:
    """(mask hash, status) of `image_id` in a copy of `images` as a power loss leaves it now."""
    with Project.open(disk.crash_copy(images, to, "power")) as again:
        return mask_hash(again.load_mask(image_id)), again.entry(image_id).status.value


@pytest.mark.parametrize("background", [False, True])
def test_saves_after_a_rewrite_not_durable_outlive_a_power_loss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                background: bool) -> None:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=6, count=2)
    with Project.open(images) as project:
        project.compact_in_background = background
        first, second = project.ids
        project.set_status(first, Status.EDITED)  # a journal line of generation G
        before = json.loads((project.folder / "project.json").read_bytes()).get("journal", 0)
        disk.fail_folder = project.folder
        if background:
            project._start_rewrite()
            project.finish_compaction(wait=True)
        else:
            assert not project._compact()  # in place, its folder's fsync failed
        assert project.compaction_error is not None and disk.folder_failed
        assert project.header["journal"] != before  # the file's generation now
        project.set_status(second, Status.REVIEWED)  # a durable line (the journal exists: no folder fsync)
        mask = np.zeros(project.entry(first).size or (8, 8), np.uint8)
        mask[:5, :7] = 1
        project.save_mask(first, mask, Status.PREDICTED)
        # project.json as the last folder fsync that worked saw it: generation G
        assert _power(disk, images, tmp_path / "power-second", second)[1] == "reviewed"
        assert _power(disk, images, tmp_path / "power-first", first) == (mask_hash(mask), "predicted")
        disk.fail_folder = None
        doc = project.open_document(second)
        tools.brush(doc, [(2.0, 2.0), (6.0, 6.0)], 2)  # the folder fsync works again: one generation is enough
        assert not project._unsure
        assert _power(disk, images, tmp_path / "power-healed", second) == (mask_hash(doc.mask), doc.status.value)


def test_a_session_opened_over_a_rewrite_not_durable_keeps_the_older_generations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project folder's fsync fails in one session (its rewrites, the one on close included, in place
    but maybe not durable) and in the next: that session's lines must also name the generations a power
    loss may bring back, though it never saw them written (the journal's lines name them)."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=8, count=2)
    with Project.open(images) as project:
        first, second = project.ids
        project.set_status(first, Status.EDITED)  # the journal (and project.json) durable
        disk.fail_folder = project.folder
        assert not project._compact()  # in place, not durable
        project.set_status(first, Status.REVIEWED)
    with Project.open(images) as project:  # the folder's fsync still fails: this opening's rewrite too
        assert project.compaction_error is not None
        project.set_status(second, Status.PREDICTED)
        power = disk.crash_copy(images, tmp_path / "power", "power")
    with Project.open(power) as again:
        assert (again.entry(first).status.value, again.entry(second).status.value) == ("reviewed", "predicted")
