"""What the Fine-tune dialog says of a stopped run's usable weights (R3 review, session 36; no Qt): the stop names
the run's best weights so far when it has them (`best.safetensors`), and so does a run found stopped from an
earlier session, whose Use this model now opens them (`usable_weights`); the exported weights come first."""

from __future__ import annotations

from pathlib import Path

from app.training.outcome import STOPPED, run_end, stopped_run_text, usable_weights
from fosp_core.train.config import Config
from fosp_core.train.finetune import FineTunePlan, TrainProgress


def _plan(tmp_path: Path) -> FineTunePlan:
    run = tmp_path / "finetune-x"
    run.mkdir(parents=True, exist_ok=True)
    (run / "last.pt").write_bytes(b"state")
    return FineTunePlan(Config(), run, run / "recipe.toml", run / "finetune-x.safetensors", train_images=8,
                        val_images=3)


def test_usable_weights_prefers_the_export_then_the_best_so_far(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    assert usable_weights(plan) is None and usable_weights(None) is None
    best = plan.run_dir / "best.safetensors"
    best.write_bytes(b"w")
    assert usable_weights(plan) == best
    plan.model_out.write_bytes(b"w")
    assert usable_weights(plan) == plan.model_out


def test_a_stop_names_the_best_weights_only_when_there_are_some(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    progress = TrainProgress(planned=10, iteration=6)
    assert run_end(STOPPED, plan, progress, []).text == ("Stopped at iteration 6; the state is saved. Resume "
                                                         "continues the run.")
    best = plan.run_dir / "best.safetensors"
    best.write_bytes(b"w")
    text = run_end(STOPPED, plan, progress, []).text
    assert text.startswith("Stopped at iteration 6; the state is saved. Resume continues the run. ")
    assert f"best weights so far: {best}" in text and "Use this model" in text, text


def test_a_run_stopped_in_an_earlier_session_names_them_too(tmp_path: Path) -> None:
    best = tmp_path / "best.safetensors"
    text = stopped_run_text("finetune-x", TrainProgress(iteration=4), 10, best=best)
    assert "stopped at iteration 4 / 10 in an earlier session" in text and f"best weights so far: {best}" in text
    assert "Use this model" in text, text
    assert "best weights" not in stopped_run_text("finetune-x", TrainProgress(iteration=4), 10)
    taken = stopped_run_text("finetune-x", TrainProgress(iteration=4), 10, earlier=False, best=best)
    assert "is there already" in taken and f"best weights so far: {best}" in taken
