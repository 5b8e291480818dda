"""Pre-label's follow-ups in the real window with tiny models on the demo's photos: the checkpoint is
hashed once per loaded model on the inference thread, never on the GUI thread (a summary stored there,
Run on all's plan); Run on All Again chosen while the model loads still runs every image once it is
loaded; and a model without τ is stamped τ None by the app as by ``fosp project prelabel``, so images
pre-labelled from the command line are not run again by the app's Run on all."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import fosp_core.annotation.prelabel as prelabel_module
import fosp_core.trained_on as trained_on
from fosp_core.annotation.prelabel import MODEL_KEY
from tests.gui.annotation_helpers import copy_demo
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


@pytest.fixture(scope="module")
def no_tau(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SegFormer (no Separation module: no τ)."""
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    return save_checkpoint(build_model("segformer-b0").eval(), tmp_path_factory.mktemp("models") / "segformer.safetensors")


def _window(qtbot, make_window, checkpoint: Path, demo: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo], projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    return window, ctl


def _run_all_summarised(qtbot, window, ctl) -> None:  # noqa: ANN001
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)


def test_the_checkpoint_is_never_hashed_on_the_gui_thread(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                          monkeypatch) -> None:
    hashed: list[tuple[bool, str]] = []  # (on the GUI thread, file)
    real = trained_on.file_digest

    def spy(path):  # noqa: ANN001, ANN202
        hashed.append((threading.current_thread() is threading.main_thread(), os.path.abspath(path)))
        return real(path)

    monkeypatch.setattr(trained_on, "file_digest", spy)
    monkeypatch.setattr(prelabel_module, "file_digest", spy)
    prelabel_module._CHECKPOINTS.clear()  # a cold cache: whoever asks first hashes it
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = _window(qtbot, make_window, checkpoint, demo, tmp_path)
    _run_all_summarised(qtbot, window, ctl)
    project, summaries = window.annotation.controller.project, window.worklist_summaries
    digest = project.entry(project.ids[0]).prediction[MODEL_KEY]["checkpoint"]
    prelabel_module._CHECKPOINTS.clear()  # cold again (or a checkpoint written within the racy tick)
    path = window.session.paths[1]
    prediction = ctl.cache.latest_for(path, ctl.model.model_id)
    assert prediction is not None
    image_id = window.annotation.controller.registry.lookup(path)[1]
    project.entry(image_id).prediction = None
    summaries.on_result(0, str(path), ctl.model.model_id, ctl.settings.tau, prediction)  # no worker summary: here
    assert project.entry(image_id).prediction[MODEL_KEY]["checkpoint"] == digest
    model_id = ctl.model.model_id
    assert all(summaries.summarised(p, model_id) for p in window.session.paths)  # Run on all's question
    mine = os.path.abspath(checkpoint)
    assert [gui for gui, file in hashed if file == mine] == [False]  # once, as the model loaded, off the GUI thread


def test_run_on_all_again_chosen_while_the_model_loads_runs_every_image(qtbot, make_window, checkpoint, demo_dir,
                                                                        tmp_path, monkeypatch) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = _window(qtbot, make_window, checkpoint, demo, tmp_path)
    _run_all_summarised(qtbot, window, ctl)
    window.close()

    second, ctl2 = _window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown may catch up (ran before)
    cached = {p for p in second.session.paths if ctl2.cache.models_for(p)}
    assert len(second.session) - len(cached) >= 3
    asked = spy_runs(ctl2, monkeypatch)
    with qtbot.waitSignal(ctl2.planning.planned, timeout=WAIT_MS * 2):  # planned once loaded, on its worker
        with qtbot.waitSignal(ctl2.worker.loaded, timeout=WAIT_MS):
            ctl2.load_model()  # the model loads again (another device, precision, input: the same wait)
            assert ctl2._load_request is not None
            second.annotation.actions.run_all_again.trigger()  # deferred until it is loaded
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS * 3)  # the run it started once loaded (if any)
    assert asked and sorted(map(str, asked[-1])) == sorted(str(p) for p in second.session.paths if p not in cached)
    assert not ctl2.planner.everything  # spent: a later Run on all leaves the summarised images out again


def test_images_prelabelled_from_the_cli_with_a_model_without_tau_are_not_run_again(
        qtbot, make_window, no_tau, demo_dir, tmp_path) -> None:
    from fosp_core.cli import main

    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = _window(qtbot, make_window, no_tau, demo, tmp_path)
    assert ctl.model.info.tau is None
    location = window.annotation.controller.project.folder
    window.close()
    assert main(["project", "prelabel", str(location), "--checkpoint", str(no_tau), "--input-size", "64",
                 "--device", "cpu"]) == 0

    second, ctl2 = _window(qtbot, make_window, no_tau, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)
    project = second.annotation.controller.project
    assert {project.entry(i).prediction[MODEL_KEY]["tau"] for i in project.ids} == {None}
    plan = ctl2.planner.run_all(ctl2.model.model_id)
    assert plan.jobs == [] and plan.note.startswith("Nothing to run: "), plan
