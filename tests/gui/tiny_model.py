"""A randomly initialised fosp-s saved as a real checkpoint, for GUI tests that check the wiring of
model runs, not their accuracy (importing this module also keeps torch to one quiet thread)."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import pytest
import torch

from app.analysis.overlays import OVERLAY_PREFIX
from app.main_window import MainWindow
from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
INPUT = 64  # tiny network input
WAIT_MS = 20000

__all__ = ["INPUT", "WAIT_MS", "hold_first_image", "ready_window", "save_tiny_checkpoint", "spy_runs",
           "tiny_video_input"]


_BUILT: dict[str, tuple[Path, torch.Tensor]] = {}
"""(a private copy of the file, torch's RNG state after the build) by the arguments that made it."""
_BUILT_DIR: list[Path] = []


def save_tiny_checkpoint(path: Path, metadata: Mapping[str, str] | None = None, seed: int = 0,
                         **overrides: float) -> Path:
    """fosp-s from seed `seed` (with model `overrides`, e.g. tau=0.4) written to `path`.

    Built and saved once per arguments in a process (~0.1-0.5 CPU s, paid by ~100 tests): later calls write
    a copy of that file (the same tensors and metadata), atomically as `save_checkpoint` does, and leave
    torch's RNG as the build left it."""
    key = json.dumps([seed, overrides, metadata], sort_keys=True, default=str)
    path = Path(path)
    if key in _BUILT and _BUILT[key][0].is_file():
        built, rng = _BUILT[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.part")
        shutil.copyfile(built, part)
        os.replace(part, path)
        torch.set_rng_state(rng)
        return path
    torch.manual_seed(seed)
    save_checkpoint(build_model("fosp-s", **overrides).eval(), path, extra_metadata=metadata)
    if not _BUILT_DIR:
        _BUILT_DIR.append(Path(tempfile.mkdtemp(prefix="fosp-tiny-checkpoints-")))
        atexit.register(shutil.rmtree, _BUILT_DIR[0], True)
    built = _BUILT_DIR[0] / f"{hashlib.sha1(key.encode()).hexdigest()}.safetensors"
    shutil.copyfile(path, built)
    _BUILT[key] = built, torch.get_rng_state()
    return path


@pytest.fixture
def tiny_video_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Model panel's "default" input predicts at the tests' tiny INPUT where no size is given: the
    video view's model (`app.video.model_source`, which asks `predictor_input(choice)`) then runs as the
    analysis worker of these tests does (`set_input_size(INPUT)`), not at 512 px (~0.4 CPU s a frame
    here instead of ~0.02). Sizes given explicitly (the analysis worker's, a pre-label run's) are kept."""
    from fosp_core.analysis import settings

    real = settings.predictor_input

    def tiny(choice: str, default_size: int = INPUT) -> dict[str, object]:
        return real(choice, default_size)

    monkeypatch.setattr(settings, "predictor_input", tiny)


def ready_window(qtbot, make_window, checkpoint: Path, paths: list[Path],  # noqa: ANN001, ANN201
                 projects_root: Path | None = None):
    """(window, its AnalysisController) with `checkpoint` loaded at the tiny input and `paths`
    open, the first image shown; annotation projects under `projects_root` when given."""
    window = make_window()
    if projects_root is not None:
        window.annotation.controller.registry.projects_root = projects_root  # nothing beside the images
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    if ctl.settings.checkpoint == checkpoint:  # kept by a window before on these settings (app.analysis.panel_kept):
        ctl.load_model()  # loading at the app's input since the window was made; again at the tiny one
        qtbot.waitUntil(lambda: ctl.model is not None and ctl._load_request is None, timeout=WAIT_MS)
    else:
        with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
            ctl.settings.set_checkpoint(checkpoint)
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    return window, ctl


def drawn_analysis_layers(window: MainWindow) -> list[str]:
    """The analysis layers visible on the canvas now (their overlay names)."""
    names = [OVERLAY_PREFIX + layer.name for layer in window.analysis.layers]
    return [n for n in names if (item := window.canvas.overlay(n)) is not None and item.isVisible()]


def spy_runs(ctl, monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:  # noqa: ANN001
    """The images of every inference request of the analysis controller `ctl` from now on."""
    asked: list[list[Path]] = []
    predict = ctl.worker.predict

    def spy(jobs, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append([job.path for job in jobs])
        return predict(jobs, *args, **kwargs)

    monkeypatch.setattr(ctl.worker, "predict", spy)
    return asked


def hold_first_image(ctl, monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:  # noqa: ANN001
    """(started, release): the inference thread of `ctl` sets `started` when it starts predicting an image
    and predicts nothing until the test sets `release`."""
    engine, started, release = ctl.worker._engine, threading.Event(), threading.Event()
    predict_one = engine._predict_one

    def held(*args, **kwargs) -> bool | None:  # noqa: ANN002, ANN003
        started.set()
        release.wait(10)
        return predict_one(*args, **kwargs)  # its outcome: None says cancelled between tiles (engine_stop)

    monkeypatch.setattr(engine, "_predict_one", held)
    return started, release
