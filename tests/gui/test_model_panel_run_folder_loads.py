"""The Model panel given a training run's FOLDER (as `fosp predict --checkpoint DIR` and `fosp-studio
--checkpoint DIR` take it) said "cannot open my-run: there is no such file (moved or deleted?)": the
folder went to the loader as a file. It loads the run's weights (`resolve_checkpoint`: the file the
CLI picks, named as the CLI names it), and a folder that holds no checkpoint is said to be one."""

from __future__ import annotations

from pathlib import Path

from app.analysis.model_panel import PanelStatus
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


def test_a_run_folder_loads_its_weights(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    run = tmp_path / "runs" / "my-run"
    run.mkdir(parents=True)
    best = save_tiny_checkpoint(run / "best.safetensors")
    window = make_window()
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(run)

    status = ctl.panel.status_label.text()
    assert ctl.model is not None, status
    assert ctl.settings.checkpoint == best  # the file loaded, as --checkpoint DIR puts it
    assert ctl.panel.checkpoint_label.toolTip() == str(best)
    assert ctl.panel.status_kind == PanelStatus.READY, status
    assert f"{run} is a run folder: using its best.safetensors" in status, status  # the CLI's words
    assert "no such file" not in status


def test_a_folder_without_a_checkpoint_is_said_to_be_one(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(b"")
    window = make_window()
    ctl = window.analysis
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(folder)

    status = ctl.panel.status_label.text()
    assert ctl.model is None
    assert ctl.panel.status_kind == PanelStatus.FAILURE, status
    assert status.startswith("cannot open photos: it is a folder that holds no checkpoint"), status
    assert "no such file" not in status, status
