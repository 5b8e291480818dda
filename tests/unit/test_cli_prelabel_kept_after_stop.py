"""`fosp project prelabel --replace-predicted` stopped by an error after a replacing run that stopped
before: "N of M masks pre-labelled before it are kept" counted M from `prelabel_counts` without the
model's stamp (every model-only mask, those this model replaced already too: "1 of 4" for a run that set
out to write 3). It counts M from the run's own `PrelabelReport.todo`. Real photos (the demo's, linked)."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.demo_photos import demo_photo_links
from tests.tiny_checkpoints import save_tiny_checkpoint
from tests.unit.disk_faults import Faults

OLD = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")


def _full_from(monkeypatch: pytest.MonkeyPatch, ids: list[str]) -> list[Faults]:
    """The disk is full for these images' masks."""
    full = [Faults(monkeypatch) for _ in ids]
    for faults, image_id in zip(full, ids, strict=True):
        faults.fail(f"{image_id}.png", "write", errno.ENOSPC)
    return full


def test_kept_counts_what_this_run_set_out_to_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 4)
    with Project.open(images, location) as project:
        ids = list(project.ids)
        prelabel(project, lambda rgb: np.zeros(rgb.shape[:2], np.float32), OLD)  # an older model's masks (empty)
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64",
            "--device", "cpu", "--replace-predicted"]

    full = _full_from(monkeypatch, ids[1:])  # the first run replaces one, then the disk is full
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "1 of 4 masks pre-labelled before it are kept" in err, err
    for faults in full:
        faults.clear()

    full = _full_from(monkeypatch, ids[2:])  # run again: this model's mask of ids[0] is left alone
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "1 of 3 masks pre-labelled before it are kept" in err, err
    assert "run it again with --replace-predicted to go on" in err, err
    for faults in full:
        faults.clear()
