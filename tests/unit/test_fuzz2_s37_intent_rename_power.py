"""A save killed after its PNG was renamed into place and before the ``masks`` folder's fsync (`atomic_write`'s
last step) leaves a rename that is not durable beside its intent, a durable journal line
(`fosp_core.annotation.mask_intents`). The next opening reads the new file, so the entry takes the intent's
state (`resolve_intents`), and folds the journal into a durable ``project.json`` at once: that status must not
become durable before the rename it describes, or a power loss then brings back the old mask under the new status
- neither the image's last durable state nor its newest.

The power model here is the rule `settle_disk` holds for recovery logs, for this one rename: an entry of a folder
changed since that folder's last fsync is undone by a power loss; ``project.json`` is as its folder's last fsync
saw it. The kill is taken at the ``masks`` folder's fsync (the files copied as they are then), no sleep.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_FILE
from tests.unit.crash_disk import make_images, mask_hash

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

_REAL_FSYNC = os.fsync


def _path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def test_an_intent_taken_at_the_opening_is_durable_only_with_its_mask(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images = make_images(tmp_path / "images", seed=11, count=2)
    killed = tmp_path / "killed"
    masks = images / ".fosp" / "masks"
    with Project.open(images) as project:
        shape = project.open_document("img00").shape
        old = np.zeros(shape, np.uint8)
        old[2:10, 3:12] = 1
        project.save_mask("img00", old, Status.EDITED)
        old_png = (masks / "img00.png").read_bytes()
        new = old.copy()
        new[15:25, 5:30] = 1
        armed = [True]

        def fsync(fd: int) -> None:
            if armed[0] and _path(fd) == str(masks):  # the rename in place, its folder not yet fsynced: killed
                armed[0] = False
                shutil.copytree(images, killed, ignore=shutil.ignore_patterns("lock"))
            _REAL_FSYNC(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        project.save_mask("img00", new, Status.REVIEWED)  # a status change over a mask file: its intent first
        monkeypatch.setattr(os, "fsync", _REAL_FSYNC)
        assert not armed[0]
    durable, newest = (mask_hash(old), Status.EDITED.value), (mask_hash(new), Status.REVIEWED.value)

    fosp = killed / ".fosp"
    seen: dict[str, object] = {"masks_synced": False, "project": (fosp / PROJECT_FILE).read_bytes()}

    def watched(fd: int) -> None:
        path = _path(fd)
        if path == str(fosp / "masks"):
            seen["masks_synced"] = True
        elif path == str(fosp):
            seen["project"] = (fosp / PROJECT_FILE).read_bytes()  # in place before the fsync: durable after it
        _REAL_FSYNC(fd)

    monkeypatch.setattr(os, "fsync", watched)
    with Project.open(killed) as again:  # the intent taken (the new file read); the journal folded in
        assert again.intents_taken == ["img00"]
        assert again.entry("img00").status == Status.REVIEWED
    monkeypatch.setattr(os, "fsync", _REAL_FSYNC)

    power = shutil.copytree(killed, tmp_path / "power")
    (power / ".fosp" / PROJECT_FILE).write_bytes(seen["project"])  # type: ignore[arg-type]
    if not seen["masks_synced"]:  # the rename never made durable: the old file back
        (power / ".fosp" / "masks" / "img00.png").write_bytes(old_png)
    with Project.open(power) as after:
        shown = (mask_hash(after.load_mask("img00")), after.entry("img00").status.value)
    assert shown in (durable, newest), (
        f"a power loss after the opening showed img00 at {shown}: the intent's status made durable before the "
        f"rename of its mask (durable {durable}, newest {newest})")
