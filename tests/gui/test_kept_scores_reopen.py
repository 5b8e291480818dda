"""On a reopening with the same model and settings the folder metrics show the scores kept in every
image's saved summary at once (`app.analysis.kept_metrics`), saying they are kept from an earlier run:
before, they covered only the image shown (run again to show it) until the user pressed Run on all.
Real demo photos and labels, the tiny model, two windows."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _rows(ctl) -> dict[str, tuple[float | None, ...]]:  # noqa: ANN001
    return {name: tuple(None if math.isnan(v) else round(v, 6) for v in (s.n, s.f_beta, s.iou, s.precision, s.recall, s.m))
            for name, s in ctl.scores.table.buckets().items()}


def test_a_reopening_shows_the_kept_scores_of_every_image(qtbot, make_window, checkpoint, demo_dir, tmp_path,  # noqa: ANN001
                                                          monkeypatch) -> None:  # noqa: ANN001
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    project = window.annotation.controller.project
    qtbot.waitUntil(lambda: all(project.entry(i).prediction is not None for i in project.ids), timeout=WAIT_MS)
    ctl.update_metrics()
    first, scored = _rows(ctl), ctl.scores.table.scored
    assert scored == len(window.session) >= 4
    window.close()

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)
    calls = ctl2.worker.calls  # the image shown may run again; nothing else runs
    qtbot.waitUntil(lambda: ctl2.scores.table.scored == scored, timeout=WAIT_MS)  # no Run on all pressed
    assert _rows(ctl2) == first
    assert ctl2.metrics.value("total", "n") == str(scored)
    note = ctl2.metrics.note.text()
    assert "kept from an earlier run" in note, note
    assert ctl2.worker.calls == calls and not ctl2._runs

    # a big folder's kept scores are recorded a few at a time, each few in a turn of its own (20 000 in one
    # turn froze the window for 0.2-0.6 s): here one at a time
    from app.analysis import kept_metrics

    monkeypatch.setattr(kept_metrics, "TAKE_AT_ONCE", 1, raising=False)
    ctl2.scores.book.clear()
    ctl2.scores.kept.clear()
    taken: list[int] = []
    record = ctl2.planner.kept
    monkeypatch.setattr(ctl2.planner, "kept", lambda kept: (taken.append(len(kept)), record(kept)))
    assert ctl2.kept_metrics.look()
    qtbot.waitUntil(lambda: sum(taken) >= len(second.session) - 1, timeout=WAIT_MS)  # (the image shown may be rescored)
    qtbot.waitUntil(lambda: ctl2.scores.table.scored == scored, timeout=WAIT_MS)
    assert set(taken) == {1}, taken
    assert _rows(ctl2) == first
