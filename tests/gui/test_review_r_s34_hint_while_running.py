"""Accept Prediction (or the wand, the threshold brush, Threshold to Mask) pressed while the model
was already running on the image shown - Ctrl+R pressed, or the image's result gone from the cache
and run again as it was shown (a reopened project: every image the user steps to) - said "No
prediction for this image yet: run the model (Ctrl+R) first", and the Layers dock "... once it has
run: Run on This Image (Ctrl+R)": the annotator was told to start what was running. Found in the
s34 working-day review (N to the next image, Shift+A at once). Both now say the model is running
on the image, and the hint goes when its result arrives, as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo, key
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint

HINT = "No prediction for this image yet"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_a_prediction_tool_used_while_the_image_runs_says_it_runs(qtbot, make_window, checkpoint: Path,
                                                                  demo_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = ready_window(qtbot, lambda: make_window(show=True), checkpoint, [demo],
                               projects_root=tmp_path / "projects")
    controller, status = window.annotation.controller, window.statusBar()
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    started, release = hold_first_image(ctl, monkeypatch)
    try:
        key(window, "Ctrl+R")
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        key(window, "Shift+A")
        said = status.currentMessage()
        assert said.startswith(HINT), said
        assert "Ctrl+R" not in said and "running" in said, f"told to run the model while it runs: {said!r}"
        note = ctl.layer_list.empty_note.text()
        assert "Ctrl+R" not in note and "running" in note, f"the Layers note while the image runs: {note!r}"
    finally:
        release.set()
    qtbot.waitUntil(lambda: controller.document.probability is not None, timeout=WAIT_MS)
    assert HINT not in status.currentMessage()
    assert "Ctrl+R" in ctl.layer_list.empty_note.text() or ctl.layer_list.empty_note.isHidden()


def test_with_nothing_running_the_hint_still_names_the_run_key(qtbot, make_window, checkpoint: Path,
                                                              demo_dir: Path, tmp_path: Path) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, _ctl = ready_window(qtbot, lambda: make_window(show=True), checkpoint, [demo],
                                projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    key(window, "Shift+A")
    said = window.statusBar().currentMessage()
    assert said.startswith(HINT) and "Ctrl+R" in said, said


def test_a_prediction_tool_used_while_the_model_loads_says_it_loads(qtbot, make_window, checkpoint: Path,
                                                                    demo_dir: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The same while the model loads (the window just opened; Ctrl+R then waits for it): the hint said
    "run the model (Ctrl+R) first" after Ctrl+R had been pressed."""
    import threading

    import app.analysis.inference_worker as inference_worker
    from tests.gui.tiny_model import INPUT

    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    window.open_paths([copy_demo(demo_dir, tmp_path / "demo")], remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    started, release, predictor = threading.Event(), threading.Event(), inference_worker.Predictor

    def gated(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(WAIT_MS / 1000)
        return predictor(*args, **kwargs)

    monkeypatch.setattr(inference_worker, "Predictor", gated)
    ctl.settings.set_checkpoint(checkpoint)
    try:
        assert started.wait(WAIT_MS / 1000)
        key(window, "Ctrl+R")
        key(window, "Shift+A")
        said = window.statusBar().currentMessage()
        assert said.startswith(HINT), said
        assert "loading" in said and "run the model (Ctrl+R) first" not in said, said
    finally:
        release.set()
    qtbot.waitUntil(lambda: controller.document.probability is not None, timeout=WAIT_MS)


def test_a_prediction_tool_used_while_the_model_runs_on_another_image_says_so(
        qtbot, make_window, checkpoint: Path, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model busy with the image before (the annotator pressed N while it ran; the panel says
    "running…"): the hint said "run the model (Ctrl+R) first" beside the running bar."""
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = ready_window(qtbot, lambda: make_window(show=True), checkpoint, [demo],
                               projects_root=tmp_path / "projects")
    controller, status = window.annotation.controller, window.statusBar()
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    started, release = hold_first_image(ctl, monkeypatch)
    try:
        key(window, "Ctrl+R")
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        key(window, "Right")
        qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path
                        and controller.image_path == window.session.paths[1], timeout=WAIT_MS)
        key(window, "Shift+A")
        said = status.currentMessage()
        assert said.startswith(HINT), said
        assert "another image" in said and "first" not in said, f"beside a running model: {said!r}"
    finally:
        release.set()
