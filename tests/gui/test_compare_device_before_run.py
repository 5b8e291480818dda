"""Before a comparison, Compare Two Checkpoints said "Both checkpoints run on auto" (the Model
panel's setting) while after the run it names the device used. It now says what "auto" resolves to
here, as the Predictor resolves it (fosp_core.infer.devices.resolve_device): "CPU (Automatic)" on this
machine, "GPU cuda:0 (Automatic)" elsewhere (the device named as the Model panel names it)."""

from __future__ import annotations

from pathlib import Path

from fosp_core.analysis.settings import device_words
from fosp_core.infer.devices import resolve_device
from tests.gui.conftest import WindowFactory


def test_before_a_run_the_status_says_what_auto_resolves_to(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.analysis.settings.set_device("auto")
    dialog = window.training.open_compare()
    status = dialog.status.text()
    assert f"Both checkpoints run on {device_words(str(resolve_device('auto')))} (Automatic), " in status, status
    assert "run on auto" not in status


def test_a_named_device_is_said_as_it_is_and_one_missing_here_says_so(make_window: WindowFactory,
                                                                     tmp_path: Path) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.analysis.settings.set_device("cpu")
    dialog = window.training.open_compare()
    assert "Both checkpoints run on CPU, " in dialog.status.text(), dialog.status.text()
    window.analysis.settings.set_device("cuda:99")  # no machine of ours has a hundred GPUs
    dialog.refresh()
    assert "Both checkpoints run on GPU cuda:99 (not available here), " in dialog.status.text(), dialog.status.text()
