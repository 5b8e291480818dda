"""An export that keeps the source's splits when every image labelled is in its val split (the bundled
demo's four images are all val): the dataset had val.txt and no train.txt, and a fine-tune on it
(Analysis ▸ Fine-tune, whose recipe trains on every image when there is no train list) trained on
the very images it validated on: its "Validation F_β before → after" flattered the model. The
export writes an empty train.txt now (SmokeSeg's lists are all there), the CLI says "train 0", and
a fine-tune is refused before it starts ("its train split is empty")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.train.finetune import FineTuneError, FineTuneRequest, plan_finetune


@pytest.fixture()
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(demo_dir, root)
    with Project.open(root) as project:
        project.import_labels()
        assert {e.split for e in project.entries} == {"val"}
    return root


def test_kept_splits_with_no_train_image_write_an_empty_train_list(demo: Path, tmp_path: Path) -> None:
    with Project.open(demo) as project:
        report = export_smokeseg(project, tmp_path / "out")
    assert report.splits["train"] == [] and len(report.splits["val"]) == 4
    assert (tmp_path / "out" / "ImageSets" / "Segmentation" / "train.txt").read_text() == ""


def test_the_cli_says_train_0(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --keep-splits asked for (by default the CLI now draws new splits here:
    test_loop_s33_export_train)."""
    assert main(["project", "export", str(demo), str(tmp_path / "out"), "--keep-splits"]) == 0
    assert "(train 0, val 4)" in capsys.readouterr().out


def test_a_fine_tune_on_it_is_refused(demo: Path, tmp_path: Path, tiny_checkpoint_file: Path) -> None:
    with Project.open(demo) as project:
        export_smokeseg(project, tmp_path / "out")
    request = FineTuneRequest(dataset=tmp_path / "out", init_from=tiny_checkpoint_file, iterations=2,
                              runs_dir=str(tmp_path / "runs"))
    with pytest.raises(FineTuneError, match="train split is empty"):
        plan_finetune(request)


def test_the_fine_tune_dialog_says_so_before_start(demo: Path, tmp_path: Path) -> None:
    from app.training.messages import dataset_note

    with Project.open(demo) as project:
        export_smokeseg(project, tmp_path / "out")
    note = dataset_note(str(tmp_path / "out"))
    assert note.startswith("This dataset's train split is empty: nothing to train on.")


def test_an_older_export_with_val_and_no_train_list_is_told_before_start(demo: Path, tmp_path: Path) -> None:
    """An export written before the empty train.txt (or any dataset with val.txt and no train.txt):
    every image trains, the val ones too (the plan flags it, `FineTunePlan.val_in_train`, and the
    log and the verdict say so once it runs); the note under the form said only "only 4 validation
    images". It says the val images train too, before Start."""
    from app.training.messages import dataset_note

    with Project.open(demo) as project:
        export_smokeseg(project, tmp_path / "out")
    (tmp_path / "out" / "ImageSets" / "Segmentation" / "train.txt").unlink()
    note = dataset_note(str(tmp_path / "out"))
    assert note.startswith("This dataset has a val split and no train split: every image trains, the 4 val "
                           "images too")
