"""Model-assisted labelling's export (R3 review, session 35, real SmokeSeg samples): pre-label a folder, correct
some masks, export. The masks the model made that nobody reviewed (status predicted) went into the training set
with the corrected ones, and neither `fosp project export` nor the app's export summary said so: a fine-tune on
the export then learns the model's own mistakes back. The export still takes them (pseudo-labels can be meant),
but says how many and how to leave them out (`ExportReport.model_made`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.cli import main

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "smokeseg-samples"


@pytest.fixture()
def photos(tmp_path: Path) -> Path:
    """Four real SmokeSeg photos: two masks a model made (predicted), one corrected (edited), one reviewed."""
    if not (SAMPLES / "JPEGImages").is_dir():
        pytest.skip(f"needs the SmokeSeg samples at {SAMPLES} (../shared/data)")
    folder = tmp_path / "photos"
    folder.mkdir()
    for jpg in sorted((SAMPLES / "JPEGImages").glob("*.jpg"))[:4]:
        shutil.copyfile(jpg, folder / jpg.name)
    with Project.open(folder) as project:
        for image_id, status in zip(project.ids, ("predicted", "predicted", "edited", "reviewed"), strict=True):
            mask = np.zeros((512, 512), np.uint8)
            mask[200:260, 100:220] = 1
            project.save_mask(image_id, mask, status)
    return folder


def test_the_report_names_the_model_made_masks_it_exported(photos: Path, tmp_path: Path) -> None:
    with Project.open(photos) as project:
        predicted = [e.id for e in project.entries if e.status.value == "predicted"]
        report = export_smokeseg(project, tmp_path / "all")
        assert sorted(report.model_made) == sorted(predicted) and len(predicted) == 2
        assert export_smokeseg(project, tmp_path / "reviewed", reviewed_only=True).model_made == []


def test_the_cli_says_how_many_model_made_masks_went_in_and_how_to_leave_them_out(
        photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "export", str(photos), str(tmp_path / "all")]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "exported 4 image(s)" in said
    assert "2 of them" in said and "status predicted" in said and "--reviewed-only" in said
    assert main(["project", "export", str(photos), str(tmp_path / "reviewed"), "--reviewed-only"]) == 0
    assert "status predicted" not in capsys.readouterr().out


def test_the_app_summary_says_it_too(photos: Path, tmp_path: Path) -> None:
    from app.annotation.export_words import export_summary

    with Project.open(photos) as project:
        text = export_summary(export_smokeseg(project, tmp_path / "all"))
    assert "2 of them" in text and "status predicted" in text and "Reviewed images only" in text
