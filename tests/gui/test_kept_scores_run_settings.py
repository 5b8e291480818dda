"""Kept scores name the run that made them (`app.annotation.kept_scores.run_key`): the precision, the
network input and the kind of device. A reopened session at another precision or input size ran Run on
all over none of the images (their summaries were of the same checkpoint, τ, threshold and rule) and
counted the scores of the first session's fp32, 64 px run as its own. Now it runs them again and their
summaries keep the new run's scores. Real demo photos and labels, the tiny model, two windows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _bf16(ctl) -> None:  # noqa: ANN001
    ctl.settings.set_precision("bf16")


def _larger_input(ctl) -> None:  # noqa: ANN001
    ctl.settings.set_input("384")  # the Model panel's Input: 384 px instead of the default (the tests' 64)


@pytest.mark.parametrize(("change", "key", "value"), [(_bf16, "precision", "bf16"), (_larger_input, "input", "384")])
def test_scores_kept_by_another_run_are_made_again(qtbot, make_window, checkpoint, demo_dir, tmp_path,  # noqa: ANN001
                                                   monkeypatch, change, key, value) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)
    assert all("scores" in project.entry(i).prediction for i in project.ids)
    window.close()

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    with qtbot.waitSignal(ctl2.worker.loaded, timeout=WAIT_MS):
        change(ctl2)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown follows the new settings
    asked = spy_runs(ctl2, monkeypatch)
    shown = {p for p in second.session.paths if ctl2.cache.for_model(ctl2.model.model_id, ctl2.settings.tau).get(p)
             is not None}
    request = run_all(qtbot, ctl2)
    assert request is not None, ctl2.panel.status_label.text()  # none left out: their scores are another run's
    assert sorted(p for run in asked for p in run) == sorted(set(second.session.paths) - shown)
    qtbot.waitUntil(lambda: request not in ctl2._runs, timeout=WAIT_MS * 3)
    project = second.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction.get("scores", {}).get("run", {}).get(key) == value
                                for i in project.ids), timeout=WAIT_MS)  # remade, naming the new run
