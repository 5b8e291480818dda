"""Model-assisted labelling, a day with the app (X2 QA, 100 SMOKE5K photos): after Run on all, the
annotator closes the app mid-way and opens the folder again. The worklist is sorted by the stored
summaries as before, but the image shown had no prediction any more: Accept Prediction (Shift+A) and
the threshold brush had nothing to work with until the user pressed Run on this image, on each of
the next 8 images (7-10 s each on 2 busy cores). An image the project holds a model summary of now
runs again when it is shown, as one whose result the cache let go."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.conftest import WindowFactory
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint, spy_runs


def _window(qtbot, make_window: WindowFactory, checkpoint: Path, folder: Path, projects: Path):  # noqa: ANN001, ANN202
    window = make_window()
    window.annotation.controller.registry.projects_root = projects
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    return window, ctl


def test_an_image_summarised_before_runs_again_when_shown_after_reopening(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    folder, projects = copy_demo(demo_dir, tmp_path / "photos"), tmp_path / "projects"
    window, ctl = _window(qtbot, make_window, checkpoint, folder, projects)
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        run_all(qtbot, ctl)
    project = window.annotation.worklist.project
    qtbot.waitUntil(lambda: all(e.prediction for e in project.entries), timeout=WAIT_MS)
    window.close()

    window, ctl = _window(qtbot, make_window, checkpoint, folder, projects)
    asked = spy_runs(ctl, monkeypatch)
    window.open_paths([folder], remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.probability is not None,
                    timeout=WAIT_MS)
    assert asked == [[window.session.current_path]]  # the image shown only, not a Run on all
    assert controller.accept_prediction()


def test_an_image_never_run_does_not_run_when_shown(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    folder = copy_demo(demo_dir, tmp_path / "photos")
    window, ctl = _window(qtbot, make_window, checkpoint, folder, tmp_path / "projects")
    asked = spy_runs(ctl, monkeypatch)
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.annotation.controller.document is not None, timeout=WAIT_MS)
    qtbot.wait(300)
    assert asked == []
