"""A budgeted run stopped early (Ctrl+C, SIGTERM, the app's Stop: KeyboardInterrupt in the loop)
spends nothing on the final validation its budget counted: it saves its state and ends at once,
neither validating nor waiting out the time it had set aside. What it did not say was that: the
stop's line named the state saved and nothing else, so a user could not tell whether the weights
had been scored (best.safetensors) or how long the command had taken against its budget, which the
end of a run that is not stopped says (`budget.time_in_all`). Now the stop says that it did not
validate and which best checkpoint there is, and, under a time budget, how long it took in all.

Time here is a fake clock (`tests/unit/train_clock.py`'s): no wall-clock thresholds."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from fosp_core.train import loop as loop_module
from fosp_core.train.data import iter_eval_samples
from tests.unit.test_train_support import tiny_config

STARTUP_S, STEP_S, VAL_IMAGE_S = 40.0, 20.0, 10.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _stopped_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_after: int,
                 save_s: float = 0.0, **train: Any) -> tuple[loop_module.Trainer, float, str, list[int]]:
    """A 300 s budgeted fresh run (40 s start-up, 20 s steps, 10 s a validated image) stopped by a
    KeyboardInterrupt right after step `stop_after`: (trainer, seconds, what it said, images each
    validation read)."""
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 300, "time_budget_s": 300.0, "save_every": 0, "val_every": 0, **train})
    stream = io.StringIO()
    started = clock.now
    trainer = loop_module.Trainer(cfg, stream=stream)
    clock.now += STARTUP_S
    step, validate = trainer._step, trainer.task.validate
    validated: list[int] = []

    def slow_step(*args: object) -> object:
        clock.now += STEP_S
        done = step(*args)
        if trainer.iteration == stop_after:
            raise KeyboardInterrupt  # as interrupt_after raises a stop held during the update
        return done

    def slow_validation(model: Any, sources: Any, c: Any, *rest: Any) -> Any:
        validated.append(sum(1 for _ in iter_eval_samples(sources, c.train.val_max_images)))
        clock.now += VAL_IMAGE_S * validated[-1]
        return validate(model, sources, c, *rest)

    save_last = trainer.save_last

    def slow_save() -> None:
        clock.now += save_s  # writing last.pt
        save_last()

    monkeypatch.setattr(trainer, "_step", slow_step)
    monkeypatch.setattr(trainer.task, "validate", slow_validation)
    monkeypatch.setattr(trainer, "save_last", slow_save)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    return trainer, clock.now - started, stream.getvalue(), validated


def test_a_stop_after_the_fit_spends_nothing_on_the_final_validation(demo_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped at step 5, after its first fit (at step 4 the budget's probe validated one image, twice:
    untimed then timed): no final validation, no time waited for it, and it says so."""
    trainer, spent, said, validated = _stopped_run(demo_dir, tmp_path, monkeypatch, stop_after=5)
    assert validated == [1, 1], validated  # the probe only: nothing at the stop
    assert spent == STARTUP_S + 5 * STEP_S + 2 * VAL_IMAGE_S, spent
    assert "-> the run ends at iteration" in said, said  # it had fitted, the final validation counted
    assert (trainer.run_dir / "last.pt").is_file()
    lines = said.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("interrupted: state saved at iteration 5"))
    assert lines[stop + 1] == ("not validated at the stop (a run validates at its end): no best checkpoint "
                               "(no validation)"), said
    assert lines[stop + 2] == ("in all 0:02:40 since the command started (time budget 0:05:00): training steps "
                               "0:01:40, validations 0:00:00, the validation's estimate 0:00:20, start-up and saving 0:00:40"), said


def test_a_stop_names_the_best_a_validation_kept(demo_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped at step 3 of a run validating every 2 steps: the stop says iteration 2's best."""
    trainer, _spent, said, validated = _stopped_run(demo_dir, tmp_path, monkeypatch, stop_after=3, val_every=2)
    assert validated == [4], validated  # iteration 2's, none at the stop
    best = trainer.best
    assert best is not None and best["iteration"] == 2
    assert "not validated at the stop (a run validates at its end): best F_β " in said, said
    assert f"at iteration 2 ({trainer.run_dir / 'best.safetensors'})" in said, said


def test_a_stop_without_a_budget_says_no_time_account(demo_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _trainer, _spent, said, validated = _stopped_run(demo_dir, tmp_path, monkeypatch, stop_after=2,
                                                     time_budget_s=0.0)
    assert validated == []
    assert "not validated at the stop" in said and "in all" not in said, said


def test_a_stops_account_counts_its_save(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stop's `in all` line comes after it saved last.pt (3 s here), and counts it, as a finished
    run's does: it read the clock before the save and said 0:02:40 after 163 s."""
    trainer, spent, said, _ = _stopped_run(demo_dir, tmp_path, monkeypatch, stop_after=5, save_s=3.0)
    assert spent == STARTUP_S + 5 * STEP_S + 2 * VAL_IMAGE_S + 3.0, spent
    assert ("in all 0:02:43 since the command started (time budget 0:05:00): training steps 0:01:40, validations "
            "0:00:00, the validation's estimate 0:00:20, start-up and saving 0:00:43") in said, said
