"""Outputs that land on something else's files (session 37, helper N3, odd invocations as a new user).

``fosp predict photos --out photos/.fosp`` wrote (with --overwrite: replaced) the annotation project's own mask
files, ``masks/<id>.png``, behind the project's back: people's edited masks gone, their states still "edited".
An annotation project's folder is refused as --out now (exit 2, before the model loads).
``fosp eval --json F --per-image F`` wrote both reports to one file, the second over the first: refused (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main


def test_predict_into_an_annotation_project_is_refused(tmp_path: Path, demo_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    photo = sorted((demo_dir / "JPEGImages").iterdir())[0]
    shutil.copy(photo, photos)
    with Project.open(photos) as project:
        image_id = project.ids[0]
        project.save_mask(image_id, np.ones((512, 512), np.uint8), Status.EDITED)
        mask = project.mask_path(image_id)
    before = mask.read_bytes()
    capsys.readouterr()
    code = main(["predict", str(photos), "--out", str(photos / ".fosp"), "--overwrite", "--input-size", "64",
                 "--device", "cpu"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == ExitCode.USAGE, err  # was 0: the project's mask replaced
    assert "annotation project" in err and "fosp project prelabel" in err, err
    assert mask.read_bytes() == before


def test_eval_reports_to_one_file_are_refused(tmp_path: Path, demo_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "report.csv"
    code = main(["eval", "--dataset", str(demo_dir), "--predictions", str(demo_dir / "SegmentationClass"),
                 "--json", str(same), "--per-image", str(same)])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE, err  # was 0, the JSON written over the CSV
    assert "--json and --per-image name the same file" in err, err
    assert not same.exists()
