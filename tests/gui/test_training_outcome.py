"""How a fine-tune run's end is said and whether Resume continues it (app.training.outcome, no Qt)."""

from __future__ import annotations

from pathlib import Path

from app.training.messages import start_lines
from app.training.outcome import STOPPED, run_end, stopped_run_text
from fosp_core.train.config import Config
from fosp_core.train.finetune import FineTunePlan, TrainProgress


def _plan(tmp_path: Path, saved: bool, **kw: object) -> FineTunePlan:
    run = tmp_path / "finetune-x"
    run.mkdir(parents=True, exist_ok=True)
    if saved:
        (run / "last.pt").write_bytes(b"state")
    return FineTunePlan(Config(), run, run / "recipe.toml", run / "finetune-x.safetensors", train_images=8,
                        val_images=3, **kw)  # type: ignore[arg-type]


def test_a_run_end_says_what_resume_can_continue(tmp_path: Path) -> None:
    saved, bare = _plan(tmp_path / "a", saved=True), _plan(tmp_path / "b", saved=False)
    progress = TrainProgress(planned=10, iteration=6, scores=[(0, 0.5), (5, 0.7)], best=(5, 0.7))
    done = run_end(0, saved, progress, [])
    assert done.text.startswith("Done: 6 iterations. Validation F_β 50.0 → 70.0 (iteration 5).")
    assert str(saved.model_out) in done.text and not done.problem and done.resumable is None
    stopped = run_end(STOPPED, saved, progress, [])
    assert "Stopped at iteration 6" in stopped.text and stopped.resumable is saved and not stopped.problem
    early = run_end(STOPPED, bare, None, [])
    assert "nothing was saved" in early.text and early.resumable is None and not early.problem
    full = ["RuntimeError: [Errno 28] No space left on device"]
    failed = run_end(1, saved, progress, full)  # a saved state outlives the failure: Resume once there is space
    assert failed.problem and "disk is full" in failed.text and failed.resumable is saved
    crashed = run_end(1, bare, None, ["Traceback"])
    assert crashed.problem and "code 1" in crashed.text and crashed.resumable is None
    assert run_end(0, None, None, []).problem  # no plan: nothing to say done about


def test_stopped_run_and_start_lines(tmp_path: Path) -> None:
    text = stopped_run_text("finetune-x", TrainProgress(iteration=4), 10)
    assert "stopped at iteration 4 / 10 in an earlier session" in text
    plan = _plan(tmp_path, saved=False, checkpoint_note="used best.pt", val_in_train=True)
    lines = start_lines(plan, "the masks are in the project")
    assert lines[0] == ("starting finetune-x: 8 training images, 3 validation images (also trained on: the dataset "
                        "lists no train split)")
    assert lines[1:] == ["note: used best.pt", "note: this trains on the dataset's own masks; the masks are in the "
                         "project"]
    resumed = _plan(tmp_path, saved=True, resume=True)
    assert start_lines(resumed, "") == ["resuming finetune-x: 8 training images, 3 validation images"]
