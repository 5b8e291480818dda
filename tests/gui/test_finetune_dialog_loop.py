"""The Fine-tune dialog's "Start from" follows the Model panel (README: "the checkpoint to start
from (the Model panel's, by default)"), also after the dialog was first opened: a second round of
predict → correct → export → retrain starts from the model the first round made, not the old one."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait


def _open(window, tmp_path: Path):  # noqa: ANN001, ANN202
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    return window.training.open_dialog()


def test_start_from_follows_the_model_panel_after_the_dialog_was_opened(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path) -> None:
    first = tmp_path / "first.safetensors"
    first.write_bytes(tiny_checkpoint.read_bytes())
    window = make_window(default_model=first)
    dialog = _open(window, tmp_path)
    assert dialog.checkpoint_edit.text() == str(first)
    dialog.close()
    window.analysis.settings.set_checkpoint(tiny_checkpoint)  # Model panel ▸ Open, or Use This Model
    assert window.training.open_dialog() is dialog
    assert dialog.checkpoint_edit.text() == str(tiny_checkpoint)


def test_a_start_the_user_typed_is_kept_when_the_panel_changes(
        qtbot, make_window: WindowFactory, tmp_path: Path, tiny_checkpoint: Path) -> None:
    window = make_window(default_model=tiny_checkpoint)
    dialog = _open(window, tmp_path)
    chosen = str(tmp_path / "my-choice.safetensors")
    dialog.checkpoint_edit.setText(chosen)
    window.analysis.settings.set_checkpoint(tmp_path / "other.safetensors")
    assert dialog.checkpoint_edit.text() == chosen


def _labelled_photos(demo_dir: Path, tmp_path: Path) -> Path:
    """A folder of photos labelled in the app: their masks are in the folder's annotation project
    (`.fosp/` beside them), not in a dataset."""
    import shutil

    from fosp_core.annotation import tools
    from fosp_core.annotation.project import Project

    photos = tmp_path / "photos"
    photos.mkdir()
    for jpg in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copyfile(jpg, photos / jpg.name)
    project = Project.open(photos)
    try:
        tools.brush(project.open_document(project.ids[0]), [(100, 100), (200, 100)], 8)
    finally:
        project.close()
    return photos


def test_the_labelled_photo_folder_is_refused_with_the_way_to_its_labels(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, tiny_checkpoint: Path) -> None:
    photos = _labelled_photos(demo_dir, tmp_path)
    window = make_window(default_model=tiny_checkpoint)
    dialog = _open(window, tmp_path)
    dialog.dataset_edit.setText(str(photos))
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "has no masks" in text and "annotation project" in text and "Export to SmokeSeg" in text
    dialog.dataset_edit.setText(str(photos / ".fosp"))  # the project folder itself
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "annotation project" in text and "Export to SmokeSeg" in text
    assert not dialog.worker.running()


def test_a_dataset_corrected_in_the_app_trains_on_its_own_masks_and_the_log_says_so(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, tiny_checkpoint: Path,
        monkeypatch) -> None:  # noqa: ANN001
    import shutil

    from fosp_core.annotation import tools
    from fosp_core.annotation.project import Project

    dataset = tmp_path / "smokeseg"
    shutil.copytree(demo_dir, dataset, ignore=shutil.ignore_patterns(".fosp"))
    project = Project.open(dataset)  # the dataset opened in the app and corrected there
    try:
        tools.brush(project.open_document(project.ids[0]), [(100, 100), (200, 100)], 8)
    finally:
        project.close()
    window = make_window(default_model=tiny_checkpoint)
    dialog = _open(window, tmp_path)
    started = []
    monkeypatch.setattr(dialog.worker, "start", started.append)  # the plan, not the training, is tested
    dialog.dataset_edit.setText(str(dataset))
    assert start_and_wait(qtbot, dialog) and started
    log = dialog.log_view.toPlainText()
    assert "annotation project" in log and "Export to SmokeSeg" in log


def test_no_model_to_start_from_is_asked_for_not_reported_as_the_working_folder(
        qtbot, make_window: WindowFactory, tmp_path: Path, export: Path) -> None:
    window = make_window(default_model=None)  # no default model installed, none opened
    dialog = _open(window, tmp_path)
    dialog.dataset_edit.setText(str(export))
    assert dialog.checkpoint_edit.text() == ""
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "Choose the checkpoint to start from" in text and str(Path.cwd()) not in text
    assert not dialog.worker.running()
