"""Session 32 (X1): typed destinations and dataset paths that tripped the dialogs.

- The image Export dialog with ``~out`` typed (the home of a user 'out' who is not here): changing a split box or
  Reviewed only raised RuntimeError from ``Path.expanduser`` in the split note's update (`options()`).
- A pasted destination with spaces around it: a leading space was refused as "not a full path" (with an odd
  example), a trailing one kept in the folder's name. Both Export dialogs drop the spaces around (never inside).
- The Fine-tune dialog: a dataset or checkpoint typed ``~nosuchuser/...`` raised on the planner's thread and the
  status said "Could not plan the run: Could not determine home directory." Now it says the home folder does not
  exist, in plain words; the form's note under the dataset says so as soon as it is read.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings

from app.annotation.export_checks import typed_path, typed_problem
from app.annotation.export_dialog import ExportDialog
from app.training.dialog import FineTuneDialog
from app.training.messages import read_dataset
from app.training.planning import plan_run
from app.video.export_dialog import VideoExportDialog
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.train.finetune import FineTuneRequest

NO_SUCH_USER = "~no-such-user-x1s32"
DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


def _image_dialog(qtbot, tmp_path: Path) -> ExportDialog:  # noqa: ANN001
    entries = [ImageEntry(f"p{i}", f"p{i}.jpg", status=Status.REVIEWED if i % 2 else Status.EDITED)
               for i in range(8)]
    dialog = ExportDialog(SimpleNamespace(entries=entries), tmp_path / "out")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_image_dialog_split_boxes_with_a_home_of_no_user_typed(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = _image_dialog(qtbot, tmp_path)
    dialog.dst.setText(f"{NO_SUCH_USER}/out")
    dialog.val.setValue(0.3)  # raised RuntimeError in _update_split_note (options() -> expanduser)
    dialog.reviewed_only.setChecked(True)
    assert "of 4" in dialog.split_note.text()  # the note still follows the choice
    dialog.start()  # Export says why, from the text
    assert dialog.error is not None and NO_SUCH_USER in dialog.error and dialog.worker is None


def test_spaces_around_a_typed_destination_are_dropped_not_inside(tmp_path: Path) -> None:
    inner = tmp_path / " a b " / "out"
    assert typed_problem(f"  {tmp_path}/out ", tmp_path) is None  # was "... is not a full path"
    assert typed_path(f" \t{tmp_path}/out \n") == tmp_path / "out"
    assert typed_path(f" {inner} ") == inner  # the spaces inside the path are the folder's own
    assert typed_path("  ~/out ") == Path.home() / "out"
    assert typed_path(f" {NO_SUCH_USER}/out ") == Path(f"{NO_SUCH_USER}/out")  # no home: as typed (refused)
    words = typed_problem(" out ", tmp_path)
    assert words is not None and words.startswith("out is not") and str(tmp_path / "out") in words
    assert typed_problem("   ", tmp_path) is not None


def test_image_dialog_exports_to_the_destination_without_its_spaces(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = _image_dialog(qtbot, tmp_path)
    dialog.dst.setText(f" {tmp_path}/pasted ")
    assert dialog.options().dst == tmp_path / "pasted"  # was tmp_path / "pasted " (a trailing space kept)


def test_video_dialog_exports_to_the_destination_without_its_spaces(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    asked: list[Path] = []
    dialog = VideoExportDialog(tmp_path / "videos" / "clip-smokeseg", {"keyframes": 3, "edited": 3},
                               check=lambda dst: asked.append(dst))  # type: ignore[func-returns-value]
    qtbot.addWidget(dialog)
    dialog.dst.setText(f"  {tmp_path}/frames ")
    dialog.ok_button.click()  # a leading space was refused as "not a full path"
    qtbot.waitUntil(lambda: dialog.result() == VideoExportDialog.DialogCode.Accepted, timeout=20_000)
    assert asked == [tmp_path / "frames"] and dialog.choice().dst == tmp_path / "frames"


def test_fine_tune_plan_of_a_home_of_no_user_says_so(tmp_path: Path) -> None:
    for dataset, checkpoint in ((f"{NO_SUCH_USER}/export", tmp_path / "c.safetensors"),
                                (tmp_path / "export", f"{NO_SUCH_USER}/c.safetensors")):
        planned = plan_run(FineTuneRequest(Path(dataset), Path(checkpoint), runs_dir=str(tmp_path / "runs")),
                           False)  # raised RuntimeError on the planner's thread
        assert planned.plan is None and NO_SUCH_USER in planned.problem
        assert "home folder" in planned.problem and "does not exist" in planned.problem
    assert not (tmp_path / "runs").exists()
    note = read_dataset(f"{NO_SUCH_USER}/export").note  # raised: the form's note said nothing
    assert NO_SUCH_USER in note and "home folder" in note


def test_fine_tune_dialog_says_the_home_folder_does_not_exist(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = FineTuneDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                            DEVICES, runs_dir=str(tmp_path / "runs"))
    qtbot.addWidget(dialog)
    dialog.dataset_edit.setText(f"{NO_SUCH_USER}/export")
    dialog.checkpoint_edit.setText(str(tmp_path / "c.safetensors"))
    with qtbot.waitSignal(dialog.planned, timeout=60_000) as blocker:
        assert dialog.start()
    assert blocker.args == [False] and not dialog.planning()
    status = dialog.status.text()
    assert NO_SUCH_USER in status and "home folder" in status and "Could not plan" not in status
    qtbot.waitUntil(lambda: NO_SUCH_USER in dialog.form.note.text(), timeout=20_000)


def test_fine_tune_form_reads_a_dataset_pasted_with_spaces_around(tmp_path: Path) -> None:
    """Start trains on the folder without the spaces (`DatasetForm.request` strips them); the form's read kept
    them: ' /data/export' was a relative folder, read as no dataset (no batch proposed, no note)."""
    dataset = tmp_path / "export"
    (dataset / "JPEGImages").mkdir(parents=True)
    (dataset / "ImageSets" / "Segmentation").mkdir(parents=True)
    (dataset / "ImageSets" / "Segmentation" / "train.txt").write_text("a\nb\nc\n", encoding="utf-8")
    facts = read_dataset(f"  {dataset} ")
    assert facts.folder == f"  {dataset} " and facts.train_images == 3 and "no val split" in facts.note


def _compare_plan(qtbot, paths: list[Path], a: str, b: str):  # noqa: ANN001, ANN202
    from PySide6.QtWidgets import QWidget

    from app.training.compare_form import CompareForm
    from app.training.compare_plan import ComparePlan

    holder = QWidget()
    qtbot.addWidget(holder)
    form = CompareForm(a, b, holder)
    holder.setLayout(form)
    return ComparePlan(form, AnalysisSettings(), lambda: paths, 96)


def test_compare_takes_a_checkpoint_typed_in_ones_home(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Compare Two Checkpoints read '~/a.safetensors' as a folder named '~' in the working folder: 'Checkpoint A
    does not exist: ~/a.safetensors' (the Fine-tune dialog takes ~ as the home folder); '~nosuchuser/a' says the
    home folder does not exist, in plain words."""
    from fosp_core.analysis.compare_report import CompareRequest

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path / "..")
    for name in ("a", "b"):
        (tmp_path / f"{name}.safetensors").write_bytes(b"x")
    image = tmp_path / "p0.jpg"
    image.write_bytes(b"x")
    request = _compare_plan(qtbot, [image], " ~/a.safetensors ", str(tmp_path / "b.safetensors")).make_request()
    assert isinstance(request, CompareRequest), request
    assert request.checkpoint_a == tmp_path / "a.safetensors"
    said = _compare_plan(qtbot, [image], f"{NO_SUCH_USER}/a.safetensors", str(tmp_path / "b.safetensors")
                         ).make_request()
    assert isinstance(said, str) and NO_SUCH_USER in said and "home folder" in said and "does not exist" in said
