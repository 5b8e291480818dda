"""A budgeted tiny training run on a fake clock, shared by the time-budget tests (no tests here):
start-up, each step and each validated image advance the clock, so no wall-clock thresholds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

from fosp_core.train import loop as loop_module
from fosp_core.train.data import iter_eval_samples
from tests.unit.test_train_support import tiny_config


class ClockedRun(NamedTuple):
    """What a fake-clock run left: the trainer, the clock's seconds from the Trainer's construction to
    the run's end, what it said, and how many images each validation read."""

    trainer: loop_module.Trainer
    spent: float
    said: str
    validated: list[int]


class _SlowFirstBatch:
    """A loader whose first batch advances the fake clock by `wait` s as it arrives."""

    def __init__(self, loader: Any, clock: SimpleNamespace, wait: float) -> None:
        self.loader, self.clock, self.wait = loader, clock, wait
        self.num_workers = loader.num_workers

    def __iter__(self) -> Iterator[Any]:
        for i, batch in enumerate(self.loader):
            if i == 0:
                self.clock.now += self.wait
            yield batch


def fake_clock_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: float,
                   startup: float, step_s: float, val_image_s: float, first_batch_s: float = 0.0,
                   val_image_s_later: float | None = None, **train: Any) -> ClockedRun:
    """A budgeted run on the demo images (validation too) whose data opening costs `startup` s (half
    for the train sources, half for the val ones), the wait for the first batch `first_batch_s` (the
    data workers starting), each step `step_s` and each validated image `val_image_s`
    (`val_image_s_later` from the third validation on: after a fresh run's two-pass probe, the
    machine slower or faster); `train` overrides the config's train section."""
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    opened = loop_module.open_sources

    def slow_open(*args: Any) -> Any:
        clock.now += startup / 2  # train and val sources: half each
        return opened(*args)

    monkeypatch.setattr(loop_module, "open_sources", slow_open)
    make_loader = loop_module.train_loader

    def slow_first_batch(*args: Any, **kwargs: Any) -> Any:
        return _SlowFirstBatch(make_loader(*args, **kwargs), clock, first_batch_s)

    monkeypatch.setattr(loop_module, "train_loader", slow_first_batch)
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 300, "time_budget_s": budget, "save_every": 0, "val_every": 0, **train})
    stream = io.StringIO()
    started = clock.now
    trainer = loop_module.Trainer(cfg, stream=stream)
    step, validate = trainer._step, trainer.task.validate
    validated: list[int] = []

    def slow_step(*args: object) -> object:
        clock.now += step_s
        return step(*args)

    def slow_validation(model: Any, sources: Any, c: Any, *rest: Any) -> Any:
        validated.append(sum(1 for _ in iter_eval_samples(sources, c.train.val_max_images)))
        per_image = val_image_s if val_image_s_later is None or len(validated) <= 2 else val_image_s_later
        clock.now += per_image * validated[-1]
        return validate(model, sources, c, *rest)

    monkeypatch.setattr(trainer, "_step", slow_step)
    monkeypatch.setattr(trainer.task, "validate", slow_validation)
    trainer.run()
    return ClockedRun(trainer, clock.now - started, stream.getvalue(), validated)
