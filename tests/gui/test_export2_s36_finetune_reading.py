"""The Export dialog's Replace into the dataset a fine-tune started from this app trains on (session 36, helper E).

Found (R3): Annotate ▸ Export to SmokeSeg… with Replace, into the folder the running fine-tune reads (export again
after more corrections while the last fine-tune runs), swapped the dataset under the run: its validation image
vanished and the run ended with "no best checkpoint (no validation)". The dialog now refuses, naming the run: the
app knows its own runs (`app.training.running`, told by `TrainingProcess` as it starts one) before the run's
process has written its marker (`fosp_core.train.run_reading`), which covers a ``fosp train`` of the command line.

The fine-tune's process is a stand-in (a sleeping child started by the app's real `TrainingProcess`, which writes
no marker): training on 2 cores takes minutes, and what is checked is what the app itself knows."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.annotation.export_dialog import ExportDialog
from app.training.process import TrainingProcess
from fosp_core.annotation.project import Project
from fosp_core.train.config import load_config
from fosp_core.train.finetune import FineTunePlan


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    from PIL import Image

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FOSP_CACHE", raising=False)
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(3)
    for k in range(4):
        Image.fromarray(rng.integers(0, 255, (8, 12, 3), np.uint8)).save(photos / f"p{k}.png")
    project = Project.open(photos)
    for image_id in project.ids:
        project.save_mask(image_id, np.ones((8, 12), np.uint8), "reviewed")
    yield project
    project.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _export(qtbot, project: Project, dst: Path, replace: bool) -> ExportDialog:  # noqa: ANN001
    dialog = ExportDialog(project, dst)
    qtbot.addWidget(dialog)
    dialog.overwrite.setChecked(replace)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=20000)
    return dialog


@pytest.fixture()
def fine_tune(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TrainingProcess]:  # noqa: ANN001
    """The app's training process, not started: `start(dataset)` starts its stand-in run on `dataset`, as the
    Fine-tune dialog's Start does (the plan `plan_finetune` writes: data.root the export's parent)."""
    monkeypatch.setattr(FineTunePlan, "command",
                        lambda self, python=sys.executable: [python, "-c", "import time; time.sleep(120)"])
    process = TrainingProcess()

    def start(dataset: Path) -> None:
        cfg = load_config("small-cpu", [f"data.root={str(dataset.parent)!r}",
                                        f'data.train=[{{path="{dataset.name}", split="train"}}]',
                                        f'data.val=[{{path="{dataset.name}", split="val"}}]',
                                        'name="finetune-my-export"', f"runs_dir={str(tmp_path / 'runs')!r}"])
        run_dir = cfg.run_dir()
        process.start(FineTunePlan(cfg, run_dir, run_dir / "recipe.toml", run_dir / "m.safetensors", 3, 1))
        qtbot.waitUntil(lambda: process.process is not None and process.process.processId() > 0, timeout=10000)

    process.start_on = start  # type: ignore[attr-defined]
    yield process
    if process.running():
        assert process.process is not None
        process.process.kill()
        process.process.waitForFinished(5000)


def test_replace_is_refused_while_the_apps_fine_tune_trains_on_the_folder(
        qtbot, project: Project, tmp_path: Path, fine_tune: TrainingProcess) -> None:  # noqa: ANN001
    export = tmp_path / "my-export"
    assert _export(qtbot, project, export, replace=False).report is not None  # the first round's export
    before = _files(export)
    fine_tune.start_on(export)  # type: ignore[attr-defined]
    dialog = _export(qtbot, project, export, replace=True)  # more corrections: export again, Replace ticked
    assert dialog.report is None, "replaced the dataset under the running fine-tune"
    assert dialog.error is not None
    assert "\u201cfinetune-my-export\u201d running in this app" in dialog.error, dialog.error
    assert "is training on this dataset" in dialog.error and "export to another folder" in dialog.error
    assert dialog.error.startswith(str(export)), dialog.error
    assert _files(export) == before  # its images all there for the run
    # once the run has ended, Replace replaces
    assert fine_tune.process is not None
    with qtbot.waitSignal(fine_tune.finished, timeout=10000):
        fine_tune.process.kill()
    assert _export(qtbot, project, export, replace=True).report is not None


def test_the_folder_above_the_dataset_is_refused_and_another_folder_is_not(
        qtbot, project: Project, tmp_path: Path, fine_tune: TrainingProcess) -> None:  # noqa: ANN001
    """Replacing the folder that holds the dataset deletes it too; a folder beside it is the way on."""
    root = tmp_path / "datasets"
    export = root / "my-export"
    assert _export(qtbot, project, export, replace=False).report is not None
    fine_tune.start_on(export)  # type: ignore[attr-defined]
    above = _export(qtbot, project, root, replace=True)
    assert above.report is None and above.error is not None and "is training on this dataset" in above.error
    assert _export(qtbot, project, root / "my-export-2", replace=False).report is not None


def test_a_fosp_train_of_the_command_line_is_refused_by_both_export_dialogs(
        qtbot, project: Project, tmp_path: Path) -> None:  # noqa: ANN001
    """A ``fosp train`` started in a terminal (its marker: a stand-in naming a live process) reading the export:
    the image Export dialog refuses Replace there, and so does a video's Export frames (the same refusal,
    `refusal_words`), naming the run and its process; once that process is gone, its marker blocks nothing."""
    import json
    import subprocess

    from app.annotation.export_worker import refusal_words

    export = tmp_path / "my-export"
    assert _export(qtbot, project, export, replace=False).report is not None
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        markers = tmp_path / "cache" / "fosp" / "reading"
        markers.mkdir(parents=True)
        (markers / f"{child.pid}-0000.json").write_text(json.dumps(
            {"name": "night-run", "run_dir": str(tmp_path / "runs" / "night-run"), "folders": [str(export)],
             "pid": child.pid, "start": 0}))
        dialog = _export(qtbot, project, export, replace=True)
        assert dialog.report is None and dialog.error is not None
        assert f"\u201cnight-run\u201d (fosp train, process {child.pid})" in dialog.error, dialog.error
        frames = refusal_words(export, None, True)  # the video's Export frames, Replace ticked
        assert frames is not None and "\u201cnight-run\u201d" in frames, frames
    finally:
        child.kill()
        child.wait()
    assert refusal_words(export, None, True) is None
    assert _export(qtbot, project, export, replace=True).report is not None


def test_the_workers_own_check_refuses_the_apps_run_too(
        qtbot, project: Project, tmp_path: Path, fine_tune: TrainingProcess) -> None:  # noqa: ANN001
    """The export's worker checks the destination itself where the dialog's check gave no answer (it raised):
    it is given the app's runs as Export was pressed, and refuses as the dialog does (no marker here: the stand-in
    run writes none)."""
    from app.annotation.export_worker import ExportOptions, ExportWorker
    from app.training.running import app_readings

    export = tmp_path / "my-export"
    assert _export(qtbot, project, export, replace=False).report is not None
    before = _files(export)
    fine_tune.start_on(export)  # type: ignore[attr-defined]
    worker = ExportWorker(project, ExportOptions(export, overwrite=True), app_readings())
    failed: list[str] = []
    worker.signals.failed.connect(failed.append)
    worker.start()  # not `checked`: it checks the destination on its pool thread
    qtbot.waitUntil(lambda: bool(failed), timeout=20000)
    assert "\u201cfinetune-my-export\u201d running in this app" in failed[0], failed
    assert _files(export) == before
