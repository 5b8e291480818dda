"""Compare Two Checkpoints said which device and settings both checkpoints run on when it was
opened, and kept saying it when the Model panel's device or precision changed with the dialog open
(it only followed at the next Analysis ▸ Compare…), while Compare ran with the panel's settings of
the moment. The line now follows the panel's settings through their change event (no polling, no
image recounted), names the precision too, and the comparison runs on the device it shows; a change
during a run leaves the run alone and its end says what the next one runs on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from app.training import compare_dialog
from app.training.compare_dialog import CompareDialog
from app.training.compare_worker import planned_device
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _choose(combo: QComboBox, name: str) -> None:
    """Pick the item whose data is `name`, as a user's click on it does (currentIndexChanged)."""
    index = combo.findData(name)
    assert index >= 0, [combo.itemData(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def _open(qtbot, make_window: WindowFactory, demo_dir: Path, tiny: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    """A window on two demo images, the panel on "auto" / fp32, and its compare dialog on tiny x 2."""
    window = make_window(default_model=tiny)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.analysis.worker.set_input_size(INPUT)
    window.open_paths(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    panel = window.analysis.panel
    _choose(panel.device_combo, "auto")
    _choose(panel.precision_combo, "fp32")
    dialog: CompareDialog = window.training.open_compare(tiny, tiny)
    assert f"Both checkpoints run on {planned_device('auto')}, " in dialog.status.text(), dialog.status.text()
    return window, panel, dialog


def _spy_recount(monkeypatch: pytest.MonkeyPatch, recounted: list) -> None:
    """Note each image the dialog looks up again (its one pass over the open images: ProjectTruth.take)."""
    take = compare_dialog.ProjectTruth.take
    monkeypatch.setattr(compare_dialog.ProjectTruth, "take",
                        classmethod(lambda _cls, paths, *a, **k: recounted.extend(paths) or take(paths, *a, **k)))


def test_the_line_follows_the_panels_device_and_precision_and_the_run_uses_them(
        qtbot, make_window: WindowFactory, demo_dir: Path, tiny: Path, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, panel, dialog = _open(qtbot, make_window, demo_dir, tiny, tmp_path)
    recounted = []
    _spy_recount(monkeypatch, recounted)
    _choose(panel.device_combo, "cpu")  # the user's pick in the Model panel, the dialog left open
    status = dialog.status.text()
    assert "Both checkpoints run on CPU, " in status, status  # before: still "CPU (Automatic)"
    assert "Both checkpoints run on CPU, fp32, " in status, status  # the precision named too
    assert status.startswith("2 images open, 2 with a ground truth. ")
    _choose(panel.precision_combo, "bf16")
    assert "Both checkpoints run on CPU, bf16, " in dialog.status.text(), dialog.status.text()
    window.analysis.settings.set_threshold(0.3)  # the other settings the line names follow too
    assert "mask threshold 0.30" in dialog.status.text(), dialog.status.text()
    assert recounted == []  # a settings change recounts no image (a slider drag is many changes)
    monkeypatch.undo()
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
        assert dialog.start()
    assert done.args == [False]
    request = dialog.request
    assert request is not None and request.precision == "bf16" and request.threshold == pytest.approx(0.3)
    assert request.device == "cpu"  # the worker's device signal: the Predictors' device
    assert "Run on CPU, " in dialog.summary.text(), dialog.summary.text()


def test_a_change_during_a_run_keeps_the_run_and_its_end_names_the_next(
        qtbot, make_window: WindowFactory, demo_dir: Path, tiny: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _window, panel, dialog = _open(qtbot, make_window, demo_dir, tiny, tmp_path)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
        assert dialog.start()
        _choose(panel.precision_combo, "bf16")  # the run has its request: it stays fp32
        assert "bf16" not in dialog.status.text()
    assert done.args == [False]
    assert dialog.request is not None and dialog.request.precision == "fp32"
    status = dialog.status.text()
    assert status.startswith("Done: 2 images.") and "The next comparison runs on" in status, status
    assert f"runs on {planned_device('auto')}, bf16, " in status, status
    dialog.close()
    _choose(panel.device_combo, "cpu")  # a closed dialog follows too: its line is right when shown again
    assert "Both checkpoints run on CPU, bf16, " in dialog.status.text(), dialog.status.text()


def test_a_checkpoint_change_fills_an_empty_a_and_recounts_no_image(
        qtbot, make_window: WindowFactory, demo_dir: Path, tiny: Path, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, _panel, dialog = _open(qtbot, make_window, demo_dir, tiny, tmp_path)
    dialog.a_edit.clear()
    other = save_tiny_checkpoint(tmp_path / "other.safetensors")
    recounted = []
    _spy_recount(monkeypatch, recounted)
    window.analysis.settings.set_checkpoint(other)  # the user's pick in the Model panel
    assert dialog.a_edit.text() == str(other)  # A follows the panel's checkpoint when none is typed
    assert recounted == []  # before: every open image looked up again
    assert dialog.status.text().startswith("2 images open, 2 with a ground truth. "), dialog.status.text()
    dialog.a_edit.setText(str(other))  # one typed stays
    window.analysis.settings.set_checkpoint(tiny)
    assert dialog.a_edit.text() == str(other) and recounted == []
