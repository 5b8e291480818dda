"""A power loss in Pre-label All / Import Labels, just after a mask's PNG is in place and before its
state line: the PNG is durable (`atomic_write` fsyncs it and its folder), so its intent line
(`fosp_core.annotation.mask_intents`) must be too, or the power loss takes the intent and leaves the
model's mask beside "unlabeled", which Pre-label then skips forever - the defect the intent was made
for (159b711), by power loss instead of a kill. On the simulated disk of `tests.unit.settle_disk`
(what each fsync made durable; a journal append not fsynced is gone after a power loss). Linux only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
from tests.unit.crash_disk import make_images
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")


class PowerLost(BaseException):
    """The power goes here (the disk as it was copied at that moment)."""


@pytest.mark.parametrize("killed_at", [1, 2, 3])
def test_a_power_loss_after_a_prelabel_png_keeps_each_image_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   killed_at: int) -> None:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=3, count=3)
    project = Project.open(images)
    real, pngs, after = project_module.atomic_write, [], tmp_path / "after"

    def write(path: Path, data: bytes, *args: object, **kwargs: object) -> None:
        real(path, data, *args, **kwargs)
        if Path(path).parent.name == "masks" and Path(path).suffix == ".png":
            pngs.append(path)
            if len(pngs) == killed_at:  # the PNG in place, durable; its state line not written
                disk.crash_copy(images, after, "power")  # here: the batch's end (unwinding) never comes
                raise PowerLost

    monkeypatch.setattr(project_module, "atomic_write", write)
    with pytest.raises(PowerLost):
        prelabel(project, lambda rgb: rgb[..., 0] / 255.0, ModelStamp("0123456789abcdef", None, 0.5))
    monkeypatch.setattr(project_module, "atomic_write", real)
    project.close()
    with Project.open(after) as reopened:
        state = {e.id: (reopened.mask_path(e.id).exists(), e.status) for e in reopened.entries}
    assert sum(has for has, _ in state.values()) == killed_at
    for image_id, (has_mask, status) in state.items():
        assert status == (Status.PREDICTED if has_mask else Status.UNLABELED), (image_id, state)
    assert np.all([has for has, _ in state.values()][:killed_at])
