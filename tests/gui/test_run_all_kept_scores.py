"""The folder metrics of a reopened session count the images Run on all leaves out: their saved
worklist summary is of this model at these settings, and it keeps the scores the first session's
analysis view made of the same result (`app.annotation.kept_scores`). Before, the new session's metrics
had none of them until Run on All Again. Real demo photos and labels, the tiny model, two windows."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from app.annotation.kept_scores import SCORES_KEY
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _rows(ctl) -> dict[str, tuple[float | None, ...]]:  # noqa: ANN001
    """size bucket -> (n, F_β, IoU, precision, recall, 𝓜) of the folder metrics now (None: NaN)."""
    return {name: tuple(None if math.isnan(v) else round(v, 6)
                        for v in (s.n, s.f_beta, s.iou, s.precision, s.recall, s.m))
            for name, s in ctl.scores.table.buckets().items()}


def test_a_reopened_run_on_all_counts_the_images_it_leaves_out(qtbot, make_window, checkpoint, demo_dir,  # noqa: ANN001
                                                               tmp_path, monkeypatch) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)
    assert all(SCORES_KEY in project.entry(i).prediction for i in project.ids)  # each kept its scores
    ctl.update_metrics()
    first, scored = _rows(ctl), ctl.scores.table.scored
    assert scored == len(window.session) >= 4 and first["total"][1] is not None
    window.close()

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown may catch up (ran before)
    asked = spy_runs(ctl2, monkeypatch)
    ran = {p for p in second.session.paths if ctl2.cache.models_for(p)}
    assert run_all(qtbot, ctl2) is None and asked == []  # every other image left out: its summary is of this model
    qtbot.waitUntil(lambda: ctl2.scores.table.scored == scored, timeout=WAIT_MS)  # not only len(ran)
    assert len(ran) < scored
    assert _rows(ctl2) == first
