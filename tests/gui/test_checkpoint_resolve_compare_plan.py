"""Compare Two Checkpoints with a run folder as A or B said 'Checkpoint A does not exist: <run>'
while the folder was there (`ComparePlan.make_request` took files only); `fosp compare` takes a
run folder (its best.safetensors, `checkpoint.resolve_checkpoint`). Now the dialog takes it too,
and a folder without weights says why, as the command line does, instead of 'does not exist'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.training.compare_form import CompareForm
from app.training.compare_plan import ComparePlan
from fosp_core.analysis.compare_report import CompareRequest
from fosp_core.analysis.settings import AnalysisSettings


def _plan(qtbot, paths: list[Path], a: Path, b: Path) -> ComparePlan:  # noqa: ANN001
    holder = QWidget()
    qtbot.addWidget(holder)
    form = CompareForm(str(a), str(b), holder)
    holder.setLayout(form)
    return ComparePlan(form, AnalysisSettings(), lambda: paths, 96)


def test_a_run_folder_is_its_weights(qtbot, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:1]
    run = tmp_path / "runs" / "my-finetune"
    run.mkdir(parents=True)
    (run / "best.safetensors").write_bytes(b"x")
    b = tmp_path / "b.safetensors"
    b.write_bytes(b"x")
    request = _plan(qtbot, images, run, b).make_request()
    assert isinstance(request, CompareRequest), request  # was 'Checkpoint A does not exist: …/my-finetune'
    assert request.checkpoint_a == run / "best.safetensors"


def test_a_folder_without_weights_says_why(qtbot, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:1]
    a = tmp_path / "a.safetensors"
    a.write_bytes(b"x")
    empty = tmp_path / "export"
    empty.mkdir()
    said = str(_plan(qtbot, images, a, empty).make_request())
    assert "does not exist" not in said, said
    assert said.startswith(f"Checkpoint B: {empty} is a folder, not a checkpoint file"), said
    gone = tmp_path / "gone.safetensors"
    assert _plan(qtbot, images, a, gone).make_request() == f"Checkpoint B does not exist: {gone}"
