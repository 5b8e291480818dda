"""A budgeted run that validates its starting weights (`train.val_at_start`, the app's fine-tunes)
follows the budget rule the final validation follows (`budget_validation.shorten_start_validation`):
before, a budget shorter than start-up still validated every image, twice (at the start and at the
end), minutes past it. Now both validations, on the same images, are counted before the first one;
when they would end past the budget they are shortened together, said, logged and recorded in
config.toml; a budget spent by start-up validates one image a source, unprobed.

Time here is a fake clock (`tests/unit/train_clock.py`): start-up, each step and each validated
image advance it; no wall-clock thresholds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.unit.train_clock import ClockedRun, fake_clock_run

STEP_S, VAL_IMAGE_S = 20.0, 30.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float, startup: float,
         **train: Any) -> ClockedRun:
    """A budgeted val_at_start run on the 4 demo images (validation too)."""
    return fake_clock_run(demo_dir, tmp_path, monkeypatch, budget, startup, STEP_S, VAL_IMAGE_S,
                          val_at_start=True, **train)


def _events(run_dir: Path) -> list[dict[str, Any]]:
    lines = (run_dir / "log.jsonl").read_text().splitlines()
    return [r for r in map(json.loads, lines) if r.get("event") == "time_budget_validation"]


def test_a_budget_spent_by_start_up_validates_one_image_at_the_start(demo_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """80 s of start-up, a 50 s budget: one step, one image validated at each end, no probe (was all 4
    at the start and at the end: 240 s of validation past a budget already gone)."""
    trainer, spent, said, validated = _run(demo_dir, tmp_path, monkeypatch, budget=50.0, startup=80.0)
    assert validated == [1, 1], validated  # was [4, 4]
    assert trainer.iteration == 1 and trainer.cfg.train.val_max_images == 1
    assert spent == 80.0 + 2 * VAL_IMAGE_S + STEP_S, spent  # was 340 s
    assert "start-up took it all; they are shortened to 1 image per validation source (1 image each;" in said, said
    assert "val_max_images = 1" in (trainer.run_dir / "config.toml").read_text()
    assert [(e["iter"], e["val_max_images"], e["was_images"]) for e in _events(trainer.run_dir)] == [(0, 1, 4)]


def test_validations_that_cannot_fit_are_shortened_together(demo_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """200 s budget, 40 s start-up: two validations of 4 images (240 s) cannot fit. Probed on one
    image (untimed, then timed), both validate one image: the baseline and the end compare like with
    like, and the run ends within its budget (was 40 + 120 + 120 s of validation alone)."""
    trainer, spent, said, validated = _run(demo_dir, tmp_path, monkeypatch, budget=200.0, startup=40.0)
    assert validated[:3] == [1, 1, 1] and validated[-1] == 1 and len(validated) == 4, validated  # was [4, 4]
    assert spent <= 200.0, (spent, said)
    assert trainer.iteration >= 1 and trainer.last_metrics is not None
    assert ("the validations at the start and at the end (4 images each) would take about 240 s; they are "
            "shortened to 1 image per validation source (1 image each, about 30 s each;") in said, said


def test_validations_that_fit_are_kept(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A budget with room for both: probed, then all 4 images at the start and at the end."""
    trainer, _, said, validated = _run(demo_dir, tmp_path, monkeypatch, budget=1000.0, startup=40.0)
    assert validated == [1, 1, 4, 4], validated
    assert trainer.cfg.train.val_max_images == 0 and "shortened" not in said
    assert _events(trainer.run_dir) == []


def test_one_image_a_source_already_is_not_probed(demo_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    trainer, _, said, validated = _run(demo_dir, tmp_path, monkeypatch, budget=50.0, startup=80.0, val_max_images=1)
    assert validated == [1, 1], validated
    assert "shortened" not in said
