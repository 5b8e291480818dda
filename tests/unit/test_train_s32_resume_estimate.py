"""A budgeted run stopped after its first fit and resumed does not measure its final validation's
estimate again: the first invocation validated one image a source (twice: untimed, then timed) to
count it (`budget_validation`), and `--resume` did the same again whenever no validation had run yet
(its log held no `val` record to read the cost from), adding the probe's seconds to a budget that
counts from the resumed command's start. The estimate is now recorded in the run folder (a
`validation_estimate` event in log.jsonl) and a resume reuses it; a run folder without one (an older
run) is still probed, as before.

Time here is a fake clock, and the probe is counted by a spy on `budget.estimate_validation_sec`:
no wall-clock thresholds."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
import torch

from fosp_core.train import budget as budget_rules
from fosp_core.train import loop as loop_module
from fosp_core.train.data import iter_eval_samples
from tests.unit.test_train_support import tiny_config

STARTUP_S, STEP_S, VAL_IMAGE_S, BUDGET_S = 40.0, 20.0, 10.0, 300.0


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


class _Run(SimpleNamespace):
    trainer: loop_module.Trainer
    said: str
    validated: list[int]
    probes: int


def _run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resume: bool,
         stop_after: int | None = None, **train: Any) -> _Run:
    """One invocation of a 300 s budgeted run (40 s start-up, 20 s steps, 10 s a validated image) on a
    fake clock, stopped (KeyboardInterrupt) after step `stop_after` if given; counts the budget's probes."""
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    probes: list[int] = []
    estimate = budget_rules.estimate_validation_sec

    def spy(*args: Any, **kwargs: Any) -> tuple[float, int]:
        probes.append(1)
        return estimate(*args, **kwargs)

    monkeypatch.setattr(budget_rules, "estimate_validation_sec", spy)
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name}]},
                      train={"iterations": 300, "time_budget_s": BUDGET_S, "save_every": 0, "val_every": 0,
                             **train})
    stream = io.StringIO()
    trainer = loop_module.Trainer(cfg, resume=resume, stream=stream)
    clock.now += STARTUP_S
    step, validate = trainer._step, trainer.task.validate
    validated: list[int] = []

    def slow_step(*args: object) -> object:
        clock.now += STEP_S
        done = step(*args)
        if trainer.iteration == stop_after:
            raise KeyboardInterrupt
        return done

    def slow_validation(model: Any, sources: Any, c: Any, *rest: Any) -> Any:
        validated.append(sum(1 for _ in iter_eval_samples(sources, c.train.val_max_images)))
        clock.now += VAL_IMAGE_S * validated[-1]
        return validate(model, sources, c, *rest)

    monkeypatch.setattr(trainer, "_step", slow_step)
    monkeypatch.setattr(trainer.task, "validate", slow_validation)
    if stop_after is None:
        trainer.run()
    else:
        with pytest.raises(KeyboardInterrupt):
            trainer.run()
    return _Run(trainer=trainer, said=stream.getvalue(), validated=validated, probes=len(probes))


class Stopped(NamedTuple):
    """The first invocation of `_run` (stopped after step 5) that the tests resume: its run folder (read
    only: each test resumes a copy, `copy_of_stopped`), its probes, its validations, its estimate events."""

    run_dir: Path
    probes: int
    validated: list[int]
    estimates: list[dict[str, Any]]


@pytest.fixture(scope="module")
def stopped(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Stopped:
    """`_run(resume=False, stop_after=5)` once for a module's tests (~1 s each), in a cache and config of its own."""
    base = tmp_path_factory.mktemp("stopped-run")
    old = torch.get_num_threads()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOSP_CACHE", str(base / "cache"))
        patch.setenv("FOSP_CONFIG", str(base / "cache"))
        torch.set_num_threads(1)
        try:
            first = _run(demo_dir, base / "runs", patch, resume=False, stop_after=5)
        finally:
            torch.set_num_threads(old)
    estimates = [r for r in first.trainer.log.records("event") if r.get("event") == "validation_estimate"]
    return Stopped(first.trainer.run_dir, first.probes, first.validated, estimates)


def copy_of_stopped(stopped: Stopped, tmp_path: Path) -> Path:
    """The stopped run's folder copied to where `_run(demo_dir, tmp_path, ...)` finds it; its log.jsonl."""
    shutil.copytree(stopped.run_dir, tmp_path / stopped.run_dir.name)
    return tmp_path / stopped.run_dir.name / "log.jsonl"


def test_a_resume_reuses_the_estimate_the_run_folder_holds(demo_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, stopped: Stopped) -> None:
    assert stopped.probes == 1 and stopped.validated == [1, 1], (stopped.probes, stopped.validated)
    events = stopped.estimates
    assert len(events) == 1 and events[0]["sec_per_image"] == VAL_IMAGE_S, events
    copy_of_stopped(stopped, tmp_path)

    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.probes == 0, resumed.said  # was 1: measured again
    assert resumed.validated == [4], resumed.validated  # the final validation only (was [1, 1, 4])
    assert resumed.trainer.probe_time == 0.0
    assert "the final validation's estimate of iteration 3 (log.jsonl) is reused" in resumed.said, resumed.said
    assert "the validation's estimate" not in resumed.said.split("in all", 1)[-1], resumed.said


def test_a_run_folder_without_an_estimate_is_probed_on_resume(demo_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, stopped: Stopped) -> None:
    """An older run's log (no `validation_estimate` event): the resume measures it, as before."""
    log = copy_of_stopped(stopped, tmp_path)
    kept = [line for line in log.read_text().splitlines() if json.loads(line).get("event") != "validation_estimate"]
    log.write_text("".join(line + "\n" for line in kept))

    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.probes == 1 and resumed.validated == [1, 1, 4], (resumed.probes, resumed.validated)
    assert "is reused" not in resumed.said


def test_an_estimate_of_another_device_is_measured_again(demo_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, stopped: Stopped) -> None:
    """An estimate recorded on another device (a run begun on a GPU, resumed on a CPU) says nothing of
    this one's pace: measured again."""
    log = copy_of_stopped(stopped, tmp_path)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for r in records:
        if r.get("event") == "validation_estimate":
            r["device"] = "cuda:0"
    log.write_text("".join(json.dumps(r) + "\n" for r in records))

    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.probes == 1, resumed.said
