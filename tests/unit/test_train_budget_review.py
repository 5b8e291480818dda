"""Review of `train.time_budget_s` counting the whole command (session 29, R4).

- `fosp_core.cli.main` called in a process that imported the CLI long before (a test session, a
  script running several commands) counted each command's budget from that import: the second
  `fosp train ... train.time_budget_s=60` of a script found its budget gone at its first step.
- A fresh run whose final validation cannot fit its budget validates fewer images per source, and
  says so, instead of only warning and running minutes past the budget (`budget.shrunk_val_max`).

Time here is a fake clock (`tests/unit/train_clock.py`): no wall-clock thresholds.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fosp_core.train import loop as loop_module
from tests.unit.train_clock import ClockedRun, fake_clock_run


def test_each_command_counts_from_its_own_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two `fosp train` commands run by one process: each hands the Trainer its own start."""
    from fosp_core import cli

    seen: list[float] = []

    class Recorder:
        def __init__(self, cfg: Any, **kwargs: Any) -> None:
            seen.append(kwargs["started_at"])
            raise loop_module.TrainingError("recorded")

    clock = SimpleNamespace(now=5000.0)
    monkeypatch.setattr(cli, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    monkeypatch.setattr(loop_module, "Trainer", Recorder)
    argv = ["train", "small-cpu", "--runs-dir", str(tmp_path), "--quiet", "train.iterations=1"]
    assert cli.main(argv) == 1
    clock.now += 300.0  # the script does something else for 5 minutes
    assert cli.main(argv) == 1
    assert seen == [5000.0, 5300.0]  # was the CLI's import time, twice


STEP_S, VAL_IMAGE_S = 20.0, 30.0


def _fake_clock_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float,
                    startup: float, **train: Any) -> ClockedRun:
    """A budgeted run on the 4 demo images (validation too) whose data opening costs `startup` s,
    each step `STEP_S` and each validated image `VAL_IMAGE_S` (`tests/unit/train_clock.py`)."""
    return fake_clock_run(demo_dir, tmp_path, monkeypatch, budget, startup, STEP_S, VAL_IMAGE_S, **train)


def test_a_final_validation_too_long_for_the_budget_is_shortened(demo_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """200 s budget, 40 s start-up, 20 s a step, a 120 s final validation (4 images): the run
    warned and took 260 s; it validates 1 image (30 s), trains a step more and ends within it."""
    trainer, spent, said, validated = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=200.0, startup=40.0)
    assert spent <= 200.0, (spent, validated, said)  # was 260 s
    assert validated == [1, 1, 1], validated  # the probe (untimed, timed), then the final validation
    assert trainer.cfg.train.val_max_images == 1
    assert "shortened to 1 image per validation source" in said, said
    assert "val_max_images = 1" in (trainer.run_dir / "config.toml").read_text()
    assert trainer.last_metrics is not None and trainer.iteration == 3


def test_a_budget_spent_before_the_first_fit_validates_one_image_unprobed(demo_dir: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A budget shorter than start-up: one step, then no probe (it would only add to the overrun)
    and a final validation of one image a source (was: 2 probed, then all 4, 180 s past a 50 s budget)."""
    trainer, spent, said, validated = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=50.0, startup=40.0)
    assert validated == [1], validated  # was [1, 1, 4]
    assert trainer.iteration == 1 and trainer.last_metrics is not None
    assert spent == 40.0 + STEP_S + VAL_IMAGE_S, spent  # was 230 s
    assert "shortened to 1 image per validation source" in said, said


def test_a_run_that_validated_at_its_start_keeps_its_validation(demo_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The starting weights' score (val_at_start, the app's fine-tunes) and the final one are on the
    same images, so best.safetensors compares like with like: all of them when both fit the budget;
    shortened together before the first when not (`test_train_budget_start_validation`, session 30)."""
    trainer, spent, said, validated = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=1000.0, startup=40.0,
                                                      val_at_start=True)
    assert validated == [1, 1, 4, 4], validated  # the probe (untimed, timed), then the start and the end
    assert trainer.cfg.train.val_max_images == 0 and "shortened" not in said


def test_the_shortened_validation_fits_what_is_left() -> None:
    from fosp_core.train.budget import shortened_val_max

    # SMOKE5K-like: 194 images in 3 sources, 1.7 s an image, 38 s of a 60 s budget gone
    assert shortened_val_max(60.0, 38.0, [150, 22, 22], 1.7, 0) == 2  # 6 images, 10 s <= 11 s
    assert shortened_val_max(300.0, 38.0, [150, 22, 22], 1.7, 0) == 14  # 330 s > 262 s left: 42 images, 71 s <= 75 s
    assert shortened_val_max(600.0, 38.0, [150, 22, 22], 1.7, 0) == 0  # 330 s fits the 562 s left (warned only)
    assert shortened_val_max(60.0, 38.0, [150, 22, 22], 1.7, 2) == 0  # 6 images fit already
    assert shortened_val_max(60.0, 58.0, [150, 22, 22], 1.7, 1) == 0  # too long, but cannot be shorter
    assert shortened_val_max(60.0, 90.0, [150, 22, 22], 1.7, 0) == 1  # the budget is gone: one a source
    assert shortened_val_max(60.0, 10.0, [3, 3], 1.0, 0) == 0  # 6 s fits


def test_a_spent_budget_with_the_shortest_validation_says_so(demo_dir: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Already one image a source: nothing to shorten, no probe either (was 2 probed images, then
    'the final validation will take about 30 s' said with the budget long gone)."""
    trainer, spent, said, validated = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=50.0, startup=40.0,
                                                      val_max_images=1)
    assert validated == [1], validated  # was [1, 1, 1]
    assert "start-up and the first steps took it all; the run ends after its final validation (1 image)" in said
    assert spent == 40.0 + STEP_S + VAL_IMAGE_S


def test_a_resumed_run_validates_on_the_images_its_budget_kept(demo_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The same command with --resume (the recipe's val_max_images again): its best checkpoint was
    scored on the shortened validation, so the next validations use the same images (was all 4)."""
    import io

    from fosp_core.train.data import iter_eval_samples
    from tests.unit.test_train_support import tiny_config

    first, _, _, _ = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=200.0, startup=40.0)
    assert first.cfg.train.val_max_images == 1 and first.iteration == 3
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 5, "save_every": 0, "val_every": 0})
    stream = io.StringIO()
    trainer = loop_module.Trainer(cfg, resume=True, stream=stream)
    validate = trainer.task.validate
    validated: list[int] = []

    def counted(model: Any, sources: Any, c: Any, *rest: Any) -> Any:
        validated.append(sum(1 for _ in iter_eval_samples(sources, c.train.val_max_images)))
        return validate(model, sources, c, *rest)

    monkeypatch.setattr(trainer.task, "validate", counted)
    trainer.run()
    assert trainer.iteration == 5 and validated == [1], validated
    assert "train.val_max_images=1" in stream.getvalue(), stream.getvalue()
    assert "val_max_images = 1" in (trainer.run_dir / "config.toml").read_text()


def test_the_apps_progress_reads_past_a_shortened_validation(tmp_path: Path) -> None:
    """The Fine-tune dialog's reader (log.jsonl): the new event changes neither the fitted length
    nor the time left it shows."""
    import json

    from fosp_core.train.finetune import ProgressReader

    reader = ProgressReader(tmp_path, planned=300)
    records = [{"type": "event", "iter": 0, "event": "start", "time": 1.0},
               {"type": "event", "iter": 2, "event": "time_budget_validation", "val_max_images": 1, "images": 3,
                "was_images": 194, "sec": 6.0},
               {"type": "event", "iter": 2, "event": "time_budget", "iterations": 3, "sec_per_iter": 20.0},
               {"type": "train", "iter": 2, "loss": 0.4, "sec_per_iter": 20.0}]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    p = reader.poll()
    assert (p.planned, p.iteration, p.eta_seconds) == (3, 2, 20.0)


def test_a_weight_average_run_counts_both_final_validations(demo_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """train.ema_decay with ema_validate_raw (the default) validates the average and the raw weights:
    the final validation costs twice what the probe of the average measured (the run took 220 s)."""
    trainer, spent, said, validated = _fake_clock_run(demo_dir, tmp_path, monkeypatch, budget=200.0, startup=40.0,
                                                      ema_decay=0.9)
    assert validated[-2:] == [1, 1], validated  # the average and the raw weights, one image each
    assert spent <= 200.0, (spent, validated, said)  # was 220 s
