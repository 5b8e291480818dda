"""Fine-tune runs left stopped on disk: a run stopped by Stop, by closing the app or by a crash
keeps its recipe and `last.pt` in its run folder, and the Fine-tune dialog offers the newest one
for Resume when it opens (its own state in memory is gone after a restart). No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fosp_core.train.config import Config, ConfigError, load_config
from fosp_core.train.finetune import (
    FineTunePlan,
    FineTuneRequest,
    ProgressReader,
    TrainProgress,
    exported_weights,
)

__all__ = ["StoppedRun", "find_stopped_run", "resume_request", "runs_root", "stopped_run"]


@dataclass
class StoppedRun:
    """A stopped fine-tune: its plan (to resume) and what its log says it reached."""

    plan: FineTunePlan
    progress: TrainProgress


def runs_root(runs_dir: str) -> Path:
    """The folder holding the run folders: `runs_dir`, else the user's (`fosp_core.paths.runs_dir`)."""
    from fosp_core.paths import runs_dir as default_runs_dir

    return Path(runs_dir).expanduser() if runs_dir else default_runs_dir()


def stopped_run(run_dir: Path) -> StoppedRun | None:
    """The run in `run_dir` when it is a fine-tune (the plan's `recipe.toml`) with a saved state and
    no exported weights yet (a finished run has them), else None."""
    recipe, state = run_dir / "recipe.toml", run_dir / "last.pt"
    if not (recipe.is_file() and state.is_file()) or exported_weights(run_dir).is_file():
        return None
    try:
        cfg = load_config(recipe)
    except (ConfigError, OSError):
        return None
    if not cfg.model.init_from or not cfg.data.train:
        return None
    progress = ProgressReader(run_dir, planned=cfg.train.iterations).poll()
    if progress.iteration >= cfg.train.iterations:  # trained to the end, the export failed: not a resume
        return None
    plan = FineTunePlan(cfg, run_dir, recipe, exported_weights(run_dir), train_images=0, val_images=0, resume=True)
    return StoppedRun(plan, progress)


def find_stopped_run(root: Path) -> StoppedRun | None:
    """The most recently saved stopped fine-tune under `root` (see `stopped_run`), or None."""
    try:
        states = sorted(((p.stat().st_mtime, p.parent) for p in Path(root).glob("*/last.pt")), reverse=True)
    except OSError:
        return None
    for _mtime, run_dir in states:
        found = stopped_run(run_dir)
        if found is not None:
            return found
    return None


def resume_request(cfg: Config, runs_dir: str, overrides: list[str]) -> FineTuneRequest:
    """The request that resumes the stopped run of recipe `cfg` (its own settings)."""
    return FineTuneRequest(dataset=Path(cfg.data.train[0].path), init_from=Path(cfg.model.init_from),
                           iterations=cfg.train.iterations, lr=cfg.optim.lr, crop=cfg.data.crop,
                           batch_size=cfg.train.batch_size, device=cfg.train.device, name=cfg.name,
                           runs_dir=runs_dir, resume=True, overrides=list(overrides))
