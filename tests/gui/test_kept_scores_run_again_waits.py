"""Run on All Again chosen while the model loads, after a reopening, runs every image: the reopening's look
at the saved summaries (`app.analysis.kept_metrics`) must not give the kept scores back between the
Again's forgetting them and its plan (made once the model is loaded), else the plan finds every image
scored and runs nothing. The look and the load are held so that the look's answer comes while the run
waits for the model (the order a slow drive or a busy machine gives: test_prelabel_followups' reload
test failed now and then on it). Real demo photos and labels, the tiny model, two windows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _held_look(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, release): the summaries' question of windows made from now on (a look's, a plan's), asked
    on a worker, waits for `release`."""
    from app.annotation.worklist_summaries import WorklistSummaries

    started, release = threading.Event(), threading.Event()
    real = WorklistSummaries.summarised_hook

    def summarised_hook(self, model_id: str):  # noqa: ANN001, ANN202
        ask = real(self, model_id)
        if ask is None:
            return None

        def held(paths):  # noqa: ANN001, ANN202
            started.set()
            release.wait(WAIT_MS / 1000)
            return ask(paths)
        return held

    monkeypatch.setattr(WorklistSummaries, "summarised_hook", summarised_hook)
    return started, release


def _held_load(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, release): the next model load waits on the inference thread for `release`."""
    from app.analysis import inference_worker

    started, release = threading.Event(), threading.Event()
    real = inference_worker.read_model_info

    def held(path):  # noqa: ANN001, ANN202
        started.set()
        release.wait(WAIT_MS / 1000)
        return real(path)

    monkeypatch.setattr(inference_worker, "read_model_info", held)
    return started, release


def test_a_look_answered_while_run_on_all_again_waits_for_the_model_leaves_no_image_out(
        qtbot, make_window, checkpoint, demo_dir, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)
    window.close()

    look_started, look_release = _held_look(monkeypatch)
    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(look_started.is_set, timeout=WAIT_MS)  # the reopening's look at the saved summaries (a slow drive)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown may catch up (ran before)
    cached = {p for p in second.session.paths if ctl2.cache.models_for(p)}
    assert len(second.session) - len(cached) >= 3

    load_started, load_release = _held_load(monkeypatch)
    asked = spy_runs(ctl2, monkeypatch)
    ctl2.load_model()  # the model loads again (another device, precision, input: the same wait)
    qtbot.waitUntil(load_started.is_set, timeout=WAIT_MS)
    second.annotation.actions.run_all_again.trigger()  # forgets the kept scores; waits for the model
    assert ctl2.planner.after_load == "all" and ctl2.planner.everything

    look_release.set()  # the look's answer comes while the Again waits for the model
    qtbot.waitUntil(lambda: ctl2.kept_metrics._asked is None, timeout=WAIT_MS)  # taken (its scores in that turn)
    assert not ctl2.scores.kept  # none given back meanwhile: the Again runs their images
    assert not ctl2.kept_metrics.look()  # nor does a look start while it waits (it looks once the run is over)

    with qtbot.waitSignal(ctl2.planning.planned, timeout=WAIT_MS * 2):
        load_release.set()
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS * 3)
    assert asked and sorted(map(str, asked[-1])) == sorted(str(p) for p in second.session.paths if p not in cached)
    qtbot.waitUntil(lambda: ctl2.scores.table.scored == len(second.session), timeout=WAIT_MS)  # all scored again
