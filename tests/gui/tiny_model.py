"""A randomly initialised fosp-s saved as a real checkpoint, for GUI tests that check the wiring of
model runs, not their accuracy (importing this module also keeps torch to one quiet thread)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import torch

from app.analysis.overlays import OVERLAY_PREFIX
from app.main_window import MainWindow
from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
INPUT = 64  # tiny network input
WAIT_MS = 20000

__all__ = ["INPUT", "WAIT_MS", "ready_window", "save_tiny_checkpoint"]


def save_tiny_checkpoint(path: Path, metadata: Mapping[str, str] | None = None, seed: int = 0,
                         **overrides: float) -> Path:
    """fosp-s from seed `seed` (with model `overrides`, e.g. tau=0.4) written to `path`."""
    torch.manual_seed(seed)
    return save_checkpoint(build_model("fosp-s", **overrides).eval(), path, extra_metadata=metadata)


def ready_window(qtbot, make_window, checkpoint: Path, paths: list[Path],  # noqa: ANN001, ANN201
                 projects_root: Path | None = None):
    """(window, its AnalysisController) with `checkpoint` loaded at the tiny input and `paths`
    open, the first image shown; annotation projects under `projects_root` when given."""
    window = make_window()
    if projects_root is not None:
        window.annotation.controller.registry.projects_root = projects_root  # nothing beside the images
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    return window, ctl


def drawn_analysis_layers(window: MainWindow) -> list[str]:
    """The analysis layers visible on the canvas now (their overlay names)."""
    names = [OVERLAY_PREFIX + layer.name for layer in window.analysis.layers]
    return [n for n in names if (item := window.canvas.overlay(n)) is not None and item.isVisible()]
