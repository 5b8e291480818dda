"""Exact resume: which state file a run resumes from (`resume_path`), what a `Trainer`'s `last.pt`
holds (`training_state`) and how a trainer is set back to it (`restore`).

The state holds model, optimiser, scheduler, loss scaler, iteration, best score, wall time, the
weight average (EMA) and the RNG states (Python, NumPy, torch; one set per rank), with the model's
name and configuration, the task and the resolved recipe. Training data are a function of (seed,
global sample index), so N iterations straight give the same weights as N/2, stop, resume, N/2.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fosp_core.train import distributed as dist_utils
from fosp_core.train import model_io
from fosp_core.train.config import Config
from fosp_core.train.optim import follow_config
from fosp_core.train.runtime import seed_everything
from fosp_core.train.state import StateError, check_model_matches, load_state, rng_state, set_rng_state
from fosp_core.train.trained_images import STATE_KEY, from_state
from fosp_core.train.trainer_types import RunFolderError, TrainerParts

__all__ = ["STARTING_WEIGHTS", "restore", "resume_path", "training_state", "without_starting_weights"]

#: The `[model]` keys that name starting weights; a resumed run takes its weights from the state instead.
STARTING_WEIGHTS = ("init_from", "pretrained_backbone", "inpainter")


def resume_path(run_dir: Path, resume: bool | str | Path) -> Path | None:
    """The state file a run in `run_dir` starts from (the `Trainer`'s `resume`): None for a fresh
    run (False; `RunFolderError` when `run_dir` holds a state already: nothing is overwritten),
    ``run_dir/last.pt`` for True, else the file or folder (its ``last.pt``) given;
    `RunFolderError` when there is no such state."""
    last = run_dir / "last.pt"
    if resume is False:
        if last.exists():
            raise RunFolderError(
                f"run folder {run_dir} already holds a training state (last.pt); pass --resume to "
                f"continue it, or pick another run name (name=...) - nothing was overwritten"
            )
        return None
    path = last if resume is True else Path(resume).expanduser()
    if path.is_dir():
        path = path / "last.pt"
    if not path.is_file():
        raise RunFolderError(f"nothing to resume: no training state at {path}")
    return path


def without_starting_weights(cfg: Config) -> Config:
    """`cfg` with no starting weights (`STARTING_WEIGHTS` cleared): the model a resumed run builds,
    whose weights all come from the state file (`restore`), so no start file is read, nor needed."""
    return dataclasses.replace(cfg, model=dataclasses.replace(cfg.model, **dict.fromkeys(STARTING_WEIGHTS, "")))


def training_state(trainer: TrainerParts) -> dict[str, Any]:
    """Everything `last.pt` holds (called on every rank: it gathers every rank's RNG and makes
    the BatchNorm statistics of all replicas equal to rank 0's)."""
    rngs = dist_utils.gather_objects(rng_state())
    bare = model_io.unwrap(trainer.model)
    dist_utils.broadcast_buffers(bare)
    return {
        "model": {k: v.detach().to("cpu", copy=True) for k, v in bare.state_dict().items()},
        "optimizer": trainer.optimizer.state_dict(),
        "scheduler": trainer.scheduler.state_dict(),
        "scaler": trainer.scaler.state_dict() if trainer.scaler.is_enabled() else {},
        "iteration": trainer.iteration,
        "best": trainer.best,
        "wall_time": trainer.wall_time,
        "ema": trainer.ema.state_dict() if trainer.ema is not None else None,
        "rng": rngs,
        "model_name": trainer.model_name,
        "model_config": trainer.model_config,
        "task": trainer.task.kind,
        "config": trainer.cfg.recorded(),
        STATE_KEY: trained.to_metadata() if (trained := getattr(trainer, "trained_on", None)) is not None else None,
    }


#: Each task's command and what it trains, as a state of another task is said.
_TASK_WORDS = {"segmentation": ("fosp train", "segmentation"), "inpainter": ("fosp train-inpainter", "the inpainter")}


def _other_task(saved: str, kind: str) -> str:
    """Why a state of task `saved` does not continue in a run of task `kind`, and what does."""
    saved_cmd, _ = _TASK_WORDS.get(saved, (f"a {saved} run", saved))
    cmd, trains = _TASK_WORDS.get(kind, (f"a {kind} run", kind))
    text = (f"{'an' if saved[:1] in 'aeiou' else 'a'} {saved} training state ({saved_cmd}), and {cmd} trains "
            f"{trains}: continue it with {saved_cmd} … --resume-from STATE")
    if saved == "inpainter":
        text += "; a FoSp run takes its weights as model.inpainter=<its run>/best.safetensors"
    return text


def restore(trainer: TrainerParts, path: Path) -> None:
    """Set `trainer` (built, not yet wrapped for DDP) back to the state file at `path`: weights,
    optimiser, schedule (stretched to this recipe's `train.iterations`; changed optimiser settings
    are followed from here on), scaler, iteration, best, wall time, weight average and RNG states.
    StateError when the file is another task's or does not fit the model."""
    state = load_state(path)
    if state.get("task", trainer.task.kind) != trainer.task.kind:
        raise StateError(f"{path}: {_other_task(str(state['task']), trainer.task.kind)}")
    check_model_matches(state, trainer.model_name, trainer.model_config, path)
    try:
        trainer.model.load_state_dict(state["model"])
        trainer.optimizer.load_state_dict(state["optimizer"])
    except (RuntimeError, ValueError, KeyError) as exc:
        raise StateError(f"{path}: does not fit this model/optimiser: {exc}") from exc
    if trainer.ema is not None:
        if state.get("ema"):
            trainer.ema.load_state_dict(state["ema"])
        else:
            trainer.ema.module.load_state_dict(trainer.model.state_dict())
            trainer.say("resume: the state holds no weight average; it starts from the resumed weights")
    trainer.scheduler.load_state_dict(state["scheduler"])
    trainer.scheduler.total = trainer.cfg.train.iterations  # a longer run keeps the state, stretches the decay
    for change in follow_config(trainer.optimizer, trainer.scheduler, trainer.cfg.optim):
        trainer.say(f"resume: {change} (the recipe's value is followed from iteration {state['iteration']} on)")
    if "scaler" in state and trainer.scaler.is_enabled():
        trainer.scaler.load_state_dict(state["scaler"])
    trainer.iteration = int(state["iteration"])
    trainer.best = state.get("best")
    trainer.wall_time = float(state.get("wall_time", 0.0))
    trainer.trained_on = from_state(state)  # the images trained on before; the run adds its own
    rngs = state.get("rng") or []
    if len(rngs) == trainer.dist.world_size:
        set_rng_state(rngs[trainer.dist.rank])
    elif rngs:
        trainer.say(f"resume: the state was saved by {len(rngs)} processes, this run has "
                    f"{trainer.dist.world_size}; random streams restart (not bit-exact)")
        set_rng_state(rngs[0])
        if trainer.dist.rank:
            seed_everything(trainer.cfg.train.seed + 7919 * trainer.iteration + trainer.dist.rank)
    unread = [f"model.{key} {value}" for key in STARTING_WEIGHTS if (value := getattr(trainer.cfg.model, key))]
    trainer.say(f"resumed {path} at iteration {trainer.iteration}: model, optimiser and schedule from it"
                + (f" ({', '.join(unread)} {'is' if len(unread) == 1 else 'are'} not loaded)" if unread else ""))
