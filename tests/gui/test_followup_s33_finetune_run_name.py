"""The Fine-tune dialog refuses a run name Windows cannot hold (CON, a:b, a trailing dot) up front, in
windows_names.run_name_problem's words, as `fosp train` does (a config error since 86b63d4b): not
after checking the dataset and the checkpoint, nor as a failed process."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.windows_names import run_name_problem
from tests.gui.conftest import WindowFactory


@pytest.mark.parametrize("name", ["CON", "a:b", "run."])
def test_a_run_name_windows_cannot_hold_is_refused_at_start(qtbot, make_window: WindowFactory, tmp_path: Path,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.training.runs_dir = str(tmp_path / "runs")
    dialog = window.training.open_dialog()
    dialog.dataset_edit.setText(str(tmp_path / "export"))
    dialog.checkpoint_edit.setText(str(tmp_path / "model.safetensors"))
    dialog.name_edit.setText(name)
    assert not dialog.start()
    assert not dialog.planning() and not dialog.worker.running()
    text = dialog.status.text()
    assert name in text and str(run_name_problem(name)) in text, text
    assert not (tmp_path / "runs").exists()
