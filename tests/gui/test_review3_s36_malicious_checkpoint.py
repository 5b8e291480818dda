"""A malicious checkpoint met in the model-assisted loop (R3 review, session 36): a ``.pt`` pickle whose loading
would run a command, given where a user gives a checkpoint in the app: the Model panel, the Fine-tune dialog's
Start from, and Compare Two Checkpoints. Each refuses it in words (the pickle's wish to run code named), runs
nothing (the marker file its command would make is never made), and leaves what the user had: the Model panel
its working model, no run folder made, no row compared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import start_and_wait
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture()
def evil(tmp_path: Path) -> tuple[Path, Path]:
    """(evil.pt, the file its unpickling would make)."""
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.pt"
    torch.save({"model": _Evil(marker)}, path)
    return path, marker


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "models" / "good.safetensors")


def test_the_model_panel_refuses_it_and_keeps_the_working_model(
        qtbot, make_window: WindowFactory, tmp_path: Path, evil: tuple[Path, Path], good: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window(default_model=good)
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    qtbot.waitUntil(lambda: (ctl.loaded_checkpoint() or (None,))[0] == good, timeout=WAIT_MS)
    path, marker = evil
    before = len(ctl.errors)
    with qtbot.waitSignal(ctl.worker.failed, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(path)
    qtbot.waitUntil(lambda: len(ctl.errors) > before, timeout=WAIT_MS)
    said = ctl.errors[-1]
    assert "refused" in said and "run code" in said, said
    assert not marker.exists()
    assert ctl.settings.checkpoint == good  # back to the model that works


def test_the_finetune_dialog_refuses_it_before_any_run(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, evil: tuple[Path, Path],  # noqa: ANN001
        good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    window = make_window(default_model=good)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    runs = tmp_path / "runs"
    window.training.runs_dir = str(runs)
    dialog = window.training.open_dialog()
    path, marker = evil
    dialog.dataset_edit.setText(str(demo_dir))
    dialog.checkpoint_edit.setText(str(path))
    assert not start_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert "evil.pt" in text and "run code" in text, text
    assert not marker.exists() and not dialog.worker.running()
    assert not runs.exists() or not any(runs.rglob("config.toml")), list(runs.rglob("*"))


def test_compare_refuses_it_and_compares_nothing(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, evil: tuple[Path, Path],  # noqa: ANN001
        good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    window = make_window(default_model=good)
    window.analysis.worker.set_input_size(INPUT)
    window.open_paths(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:1], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    path, marker = evil
    dialog = window.training.open_compare(good, path)
    with qtbot.waitSignal(dialog.compared, timeout=60_000):
        assert dialog.start()
    text = dialog.status.text()
    assert "cannot load the checkpoints" in text and dialog.table.rowCount() == 0, text
    assert "run code" in text or "refused" in text, text  # why: not only that it failed
    assert not marker.exists()
