"""A checkpoint without the Separation module (the SegFormer baseline, an ablation without it) has no
Focus τ: the Model panel's τ is disabled and says why, and the metrics note does not name a τ the
scores were not made at.

Found in the analyst's day of session 29 (task I): with a segformer-b0 checkpoint loaded as a
second model the panel kept its τ slider live (moving it changed nothing but the note) and the
metrics note read "threshold 0.50, τ 0.15"; the checkpoint's config stores the τ field of every
model (``separation: false`` beside it)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.analysis.settings import read_model_info
from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    segformer = save_checkpoint(build_model("segformer-b0").eval(), folder / "segformer-b0.safetensors")
    return Path(segformer), save_tiny_checkpoint(folder / "fosp-s.safetensors")


def test_info_has_no_tau_without_separation(checkpoints) -> None:
    segformer, fosp = checkpoints
    assert read_model_info(segformer).tau is None
    assert read_model_info(fosp).tau == pytest.approx(0.15)


def test_panel_and_note_without_tau(qtbot, make_window, checkpoints, demo_dir, tmp_path) -> None:
    segformer, fosp = checkpoints
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window, ctl = ready_window(qtbot, make_window, segformer, [image], tmp_path / "projects")
    assert not ctl.panel.tau.isEnabled()
    assert "no Separation module" in ctl.panel.tau.toolTip()
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        ctl.run_current()
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    ctl.update_metrics()
    note = ctl.metrics.note.text()
    assert note.startswith("1 labelled image with results") and "τ" not in note, note

    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(fosp)
    assert ctl.panel.tau.isEnabled()
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        ctl.run_current()
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau is not None, timeout=WAIT_MS)
    ctl.update_metrics()
    assert "τ\u00a00.15" in ctl.metrics.note.text()
