"""`fosp project status/import/export` end to end, the export read back by the SmokeSeg reader."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def dataset(demo_dir, tmp_path) -> Path:
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    with Project.open(dst) as project:
        doc = project.open_document(project.ids[0])
        tools.polygon_fill(doc, [(0, 0), (63, 0), (63, 63), (0, 63)], 1)
        doc.set_status(Status.REVIEWED)
    return dst


def test_status_json(dataset, capsys):
    assert main(["project", "status", str(dataset), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["images"] == 4 and info["status"]["reviewed"] == 1 and info["status"]["unlabeled"] == 3


def test_import_then_export_random_split_resized(dataset, tmp_path, capsys):
    assert main(["project", "import", str(dataset)]) == 0
    out = capsys.readouterr().out
    assert "imported 3 mask(s)" in out and "already reviewed" in out
    dst = tmp_path / "export"
    assert main(["project", "export", str(dataset / ".fosp"), str(dst), "--split", "0.5,0.25,0.25",
                 "--seed", "3", "--resize", "128"]) == 0
    assert "exported 4 image(s)" in capsys.readouterr().out
    ds = open_dataset(dst)
    assert len(ds) == 4 and ds[0].image.shape == (128, 128, 3)
    sizes = {name: len(open_dataset(dst, name)) for name in ("train", "val", "test")}
    assert sizes == {"train": 2, "val": 1, "test": 1}
    assert main(["project", "export", str(dataset), str(dst)]) == 1  # not empty, no --overwrite
    err = capsys.readouterr().err
    assert "not empty" in err and "--overwrite" in err
    assert "overwrite=True" not in err  # the Python API's keyword is not a flag of the command line


def test_export_subprocess_reviewed_only_keeps_pixels(dataset, tmp_path):
    dst = tmp_path / "reviewed"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, "-m", "fosp_core", "project", "export", str(dataset), str(dst),
                          "--reviewed-only", "--resize-512"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    # the one reviewed image is listed in the demo's val: kept there, nothing would train, so the export draws
    # new splits (test_loop_s33_export_train) and a single image goes to train
    assert "nothing to train on" in run.stdout
    ds = open_dataset(dst, "train")
    assert len(ds) == 1
    mask = ds[0].mask
    assert (mask[:64, :64] == 1).all() and int((mask == 1).sum()) >= 64 * 64
    assert ds[0].image.shape == (512, 512, 3)


@pytest.mark.parametrize("action", ["status", "import", "export"])
def test_a_folder_without_a_project_is_a_usage_error(tmp_path, capsys, action):
    """README: 2 for usage errors and missing paths; a folder with no project is the latter."""
    argv = ["project", action, str(tmp_path)] + ([str(tmp_path / "dst")] if action == "export" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path}: no annotation project") and "open the images in the app" in err
    assert not (tmp_path / "dst").exists()


def test_a_damaged_project_is_a_failure_not_a_usage_error(dataset, capsys):
    (dataset / ".fosp" / "project.json").write_text("{ not json")
    assert main(["project", "status", str(dataset)]) == 1
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "no annotation project" not in err


def test_errors_are_reported(tmp_path, capsys):
    assert main(["project", "status", str(tmp_path)]) == 2
    assert "no annotation project" in capsys.readouterr().err
    assert main(["project", "export", str(tmp_path), str(tmp_path / "x"), "--split", "a,b"]) == 2


def test_export_of_a_folder_of_photos_splits_by_ratio_by_default(demo_dir, tmp_path, capsys):
    """As the app's Export dialog: a source without train/val/test lists is split 0.8/0.1/0.1 unless a
    flag says otherwise (keeping its "splits" would put every image in train: no validation)."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for jpg in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        shutil.copy(jpg, photos / jpg.name)
    with Project.open(photos) as project:
        for image_id in project.ids:
            doc = project.open_document(image_id)
            tools.polygon_fill(doc, [(0, 0), (31, 0), (31, 31), (0, 31)], 1)
    dst = tmp_path / "export"
    assert main(["project", "export", str(photos), str(dst)]) == 0
    out = capsys.readouterr().out
    assert "exported 4 image(s)" in out and "new splits 0.8/0.1/0.1" in out
    sizes = {name: len(open_dataset(dst, name)) for name in ("train", "val", "test")}
    assert sizes == {"train": 2, "val": 1, "test": 1}
    # an explicit --keep-splits is still honoured
    assert main(["project", "export", str(photos), str(tmp_path / "kept"), "--keep-splits"]) == 0
    assert len(open_dataset(tmp_path / "kept", "train")) == 4
