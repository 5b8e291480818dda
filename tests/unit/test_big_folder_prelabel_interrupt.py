"""`fosp project prelabel` stopped with Ctrl-C part way through a big folder says how far it got: how many
masks it wrote (kept) and how many images are left, as the app's Pre-label All does ("41 images
pre-labelled; 409 not reached"). It said only "interrupted: the masks written so far are kept", and it
prints no progress when its stderr is no terminal (a log file), so a lead who stopped a 2 000-image run
could not tell whether it had written 5 masks or 1 900 (bench/bench_big_folder_day.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.infer import Predictor
from tests.tiny_checkpoints import save_tiny_checkpoint


def test_ctrl_c_says_how_many_masks_are_kept_and_how_many_images_are_left(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    images = tmp_path / "images"
    shutil.copytree(demo_dir / "JPEGImages", images)
    location = tmp_path / "project"
    with Project.open(images, location) as project:
        ids = list(project.ids)
    assert len(ids) == 4
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    real, calls = Predictor.predict_batch, []

    def interrupted_at_the_third(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the model runs on the third image
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Predictor, "predict_batch", interrupted_at_the_third)
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64", "--device", "cpu"]

    assert main(args) == 130

    err = capsys.readouterr().err
    assert "interrupted: 2 of 4 images pre-labelled (kept), 2 left" in err, err
    assert "run it again to go on" in err, err
    with Project.open(images, location) as project:
        assert [project.entry(i).status for i in ids] == [Status.PREDICTED] * 2 + [Status.UNLABELED] * 2
