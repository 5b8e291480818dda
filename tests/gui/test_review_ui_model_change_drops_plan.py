"""Review as a user (R2, 100 SMOKE5K photos, the plan held as on a slow network drive): another model
chosen while Run on all planned left the progress bar and Cancel beside "Loading tiny-b.safetensors…"
until the old model's plan came back (seconds on a network drive), and that Cancel then cancelled a plan
nobody wanted, replacing "Loading …" with "Run on All cancelled while it planned". A new model drops
the plan under way at once, as it cancels the old model's runs. The plan held by a gate, no sleeping."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import app.analysis.run_plan as run_plan
from tests.gui.annotation_helpers import copy_demo
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint, spy_runs


def test_another_model_drops_the_plan_under_way_at_once(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_a = save_tiny_checkpoint(tmp_path / "tiny-a.safetensors")
    tiny_b = save_tiny_checkpoint(tmp_path / "tiny-b.safetensors", seed=1)
    window, ctl = ready_window(qtbot, make_window, tiny_a, [copy_demo(demo_dir, tmp_path / "demo")],
                               projects_root=tmp_path / "projects")
    qtbot.waitUntil(lambda: window.annotation.controller.project is not None and not ctl._runs, timeout=WAIT_MS)
    reached, release = threading.Event(), threading.Event()
    stamps = run_plan.label_stamps

    def held(paths):  # noqa: ANN001, ANN202
        reached.set()
        release.wait(WAIT_MS / 1000)
        return stamps(paths)

    monkeypatch.setattr(run_plan, "label_stamps", held)
    asked = spy_runs(ctl, monkeypatch)
    told: list[object] = []
    ctl.planning.planned.connect(told.append)
    try:
        assert ctl.run_all()
        qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
        assert ctl.panel.cancel_button.isVisibleTo(window)
        ctl.settings.set_checkpoint(tiny_b)
        assert told == [None] and not ctl.planning.pending  # dropped now, not when the old plan comes back
        assert not ctl.panel.cancel_button.isVisibleTo(window) and not ctl.panel.progress.isVisibleTo(window)
        assert ctl.panel.status_label.text() == "Loading tiny-b.safetensors…"
    finally:
        release.set()
    qtbot.waitUntil(lambda: ctl.model_state == "ready" and ctl.model is not None, timeout=WAIT_MS)
    qtbot.wait(200)  # the old plan's answer, queued: not used
    assert told == [None] and asked == []
    assert ctl.panel.status_label.text().startswith("Model ready")
