"""`fosp project prelabel` on a disk that fills up part way: it stops with the error, and says how many
masks it wrote before it (kept) and that running it again, once there is room, goes on (it said only
"error: …: cannot write: disk full"). The second run does the rest."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.tiny_checkpoints import save_tiny_checkpoint
from tests.unit.disk_faults import Faults


def test_prelabel_stopped_by_a_full_disk_says_what_is_kept_and_how_to_go_on(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    images = tmp_path / "images"
    shutil.copytree(demo_dir / "JPEGImages", images)
    location = tmp_path / "project"
    with Project.open(images, location) as project:
        ids = list(project.ids)
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64", "--device", "cpu"]
    full = [Faults(monkeypatch) for _ in ids[2:]]  # the disk fills after the second mask
    for faults, image_id in zip(full, ids[2:], strict=True):
        faults.fail(f"{image_id}.png", "write", errno.ENOSPC)

    assert main(args) == 1

    err = capsys.readouterr().err
    assert "disk full" in err and "Traceback" not in err, err
    assert "2 of 4 masks pre-labelled before it are kept" in err and "run it again to go on" in err, err
    for faults in full:
        faults.clear()
    with Project.open(images, location) as project:
        assert [project.entry(i).status for i in ids] == [Status.PREDICTED] * 2 + [Status.UNLABELED] * 2
    assert main(args) == 0
    assert "pre-labelled 2 images (status predicted); 2 already had a mask" in capsys.readouterr().out
    with Project.open(images, location) as project:
        assert all(project.entry(i).status == Status.PREDICTED for i in ids)
