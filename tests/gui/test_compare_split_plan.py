"""Compare Two Checkpoints' plan (`app.training.compare_plan.ComparePlan`, split from the dialog at
398 lines): the request its form and the Model panel's settings describe, the ground truth counted
and the status line, without a dialog, a window or a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.training.compare_form import CompareForm
from app.training.compare_plan import ComparePlan
from fosp_core.analysis.compare_report import CompareRequest
from fosp_core.analysis.settings import AnalysisSettings


def _plan(qtbot, paths: list[Path], a: str = "", b: str = "") -> ComparePlan:  # noqa: ANN001
    holder = QWidget()
    qtbot.addWidget(holder)
    form = CompareForm(a, b, holder)
    holder.setLayout(form)
    return ComparePlan(form, AnalysisSettings(), lambda: paths, 96)


def test_the_plan_counts_and_says_without_a_dialog(qtbot, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]
    plan = _plan(qtbot, images)
    plan.recount()
    assert plan.counts == (2, 2)  # the demo's labels are ground truth
    assert plan.status_text().startswith("2 images open, 2 with a ground truth. Both checkpoints run on ")
    assert plan.make_request() == "Choose checkpoint A."
    a, b = tmp_path / "a.safetensors", tmp_path / "b.safetensors"
    a.write_bytes(b"x")
    plan.form.a_edit.setText(str(a))
    plan.form.b_edit.setText(str(b))
    assert plan.make_request() == f"Checkpoint B does not exist: {b}"
    b.write_bytes(b"x")
    request = plan.make_request()
    assert isinstance(request, CompareRequest)
    assert request.paths == tuple(images) and request.input_size == 96 and request.truth is None


def test_no_image_open_is_said(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "a.safetensors").write_bytes(b"x")
    plan = _plan(qtbot, [], str(tmp_path / "a.safetensors"), str(tmp_path / "a.safetensors"))
    assert str(plan.make_request()).startswith("Open some images first")
