"""`fosp compare A B --project DIR`: two checkpoints scored on an annotation project's masks, as an
annotator asks after a fine-tune ("is it better than the default on the masks I checked?"). Four demo
photos in a plain folder (no dataset label): a reviewed, an edited, a predicted mask and a second
reviewed one; the reviewed masks exported and fine-tuned on (2 iterations), then compared with the
start. Reviewed and edited masks are the ground truth, the predicted one never; the images the
fine-tune was trained on are counted apart and the held-out ones scored alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import torch

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.unit.test_compare_project_truth import _photos
from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config

STATUSES = (Status.REVIEWED, Status.EDITED, Status.PREDICTED, Status.REVIEWED)


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _project(demo_dir: Path, tmp_path: Path) -> tuple[list[Path], dict[str, str]]:
    paths = _photos(demo_dir, tmp_path / "photos")
    with Project.open(tmp_path / "photos") as project:  # at photos/.fosp, where --project photos finds it
        for image_id, status in zip(project.ids, STATUSES, strict=True):
            doc = project.open_document(image_id)
            tools.brush(doc, [(60, 80), (300, 260)], 40)
            doc.set_status(status)
        statuses = {e.id: e.status.value for e in project.entries}
    return paths, statuses


def test_compare_scores_a_fine_tune_on_the_projects_checked_masks(demo_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.train.export import export_default
    from fosp_core.train.loop import Trainer

    paths, statuses = _project(demo_dir, tmp_path)
    with Project.open(tmp_path / "photos") as project:
        export_smokeseg(project, tmp_path / "export", reviewed_only=True)  # the 2 reviewed: all in train
    data = {"root": str(tmp_path), "train": [{"path": "export", "split": "train"}], "val": []}
    cfg = tiny_config(demo_dir, tmp_path / "runs", data=data, train={"iterations": 2, "val_every": 0})
    Trainer(cfg, stream=io.StringIO()).run()
    start = save_tiny_checkpoint(tmp_path / "start.safetensors")  # records no training images
    tuned, _ = export_default(cfg.run_dir(), tmp_path / "tuned.safetensors")  # `fosp train-export`: last.pt's
    out = tmp_path / "compare.csv"
    capsys.readouterr()

    code = main(["compare", str(start), str(tuned), "--project", str(tmp_path / "photos"), "--input-size", "64",
                 "--device", "cpu", "--csv", str(out)])
    said = capsys.readouterr().out
    assert code == 0, said
    assert said.startswith("4 images, ground truth: 2 reviewed and 1 edited masks of project photos; 1 predicted "
                           "mask not counted: only reviewed and edited masks are\n"), said
    assert "of 3 labelled images" in said, said
    assert "ground truth: 2 project masks (reviewed), 1 project mask (edited)" in said, said
    reviewed = {i for i, s in statuses.items() if s == "reviewed"}
    assert "Trained on 2 of these 4 images (B on 2): their scores flatter the model." in said, said
    assert "Held out: 2 images compared" in said and "of 1 labelled images" in said, said  # the edited one
    rows = {Path(r["image"]).stem: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert {i: r["ground truth"] for i, r in rows.items()} == {
        i: {"reviewed": "project mask (reviewed)", "edited": "project mask (edited)"}.get(s, "")
        for i, s in statuses.items()}
    predicted = next(i for i, s in statuses.items() if s == "predicted")
    assert rows[predicted]["F_beta A"] == "" and rows[predicted]["mask agreement"] != ""
    assert {i: r["trained on B"] for i, r in rows.items()} == {i: "yes" if i in reviewed else "no" for i in rows}

    code = main(["compare", str(start), str(tuned), "--project", str(tmp_path / "photos"), "--input-size", "64",
                 "--device", "cpu", "--reviewed-only", "--labelled-only"])
    said = capsys.readouterr().out
    assert code == 0 and "2 images compared" in said and "of 2 labelled images" in said, said
    assert "project mask (edited)" not in said


def test_compare_without_images_or_project_is_a_usage_error(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "a.safetensors", "b.safetensors"]) == 2
    assert "name the images to compare on" in capsys.readouterr().err
    assert main(["compare", "a", "b", str(tmp_path), "--reviewed-only"]) == 2
    assert "--reviewed-only needs --project" in capsys.readouterr().err
