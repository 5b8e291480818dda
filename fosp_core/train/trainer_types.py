"""What a training run reports and refuses (`TrainResult`, `TrainingError`, `RunFolderError`), and
what the loop's parts see of its trainer (`TrainerParts`).

`fosp_core.train.loop.Trainer` is the one trainer; its parts in their own modules - the best
checkpoint (`best`), exact resume (`resume`), one optimiser step (`step`) - take it as a
`TrainerParts`, so none of them imports the loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import torch
    from torch import nn

    from fosp_core.train.config import Config
    from fosp_core.train.distributed import DistInfo
    from fosp_core.train.ema import WeightEma
    from fosp_core.train.optim import PolyWarmupLR
    from fosp_core.train.tasks import Task
    from fosp_core.trained_on import TrainedImages

__all__ = ["RunFolderError", "TrainResult", "TrainerParts", "TrainingError"]


class TrainingError(RuntimeError):
    """Training cannot start or continue (existing run without --resume, diverged loss, ...)."""


class RunFolderError(TrainingError):
    """The run folder does not fit the request: it holds a state and --resume was not given, or
    there is no state to resume (a usage error: nothing was trained or written)."""


@dataclass
class TrainResult:
    """What a finished (or already complete) run reports."""

    run_dir: Path
    iteration: int
    best: dict[str, Any] | None
    last_metrics: dict[str, float] | None
    wall_time: float


class TrainerParts(Protocol):
    """The trainer as `best`, `resume` and `step` use it (`fosp_core.train.loop.Trainer`).

    model: the trained module (wrapped for DDP once built; `model_io.unwrap` gives it bare);
    iteration: optimiser steps done; best: the best score so far ({"metric", "value", "iteration",
    "weights"}) or None; wall_time: training seconds so far; precision: "fp32", "bf16" or "fp16"
    (`runtime.pick_precision`); updating: True while an optimiser update is being applied (an
    interrupt then saves no torn state).
    """

    cfg: Config
    task: Task
    device: torch.device
    dist: DistInfo
    run_dir: Path
    model: nn.Module
    model_name: str
    model_config: dict[str, Any] | None
    optimizer: torch.optim.Optimizer
    scheduler: PolyWarmupLR
    scaler: torch.amp.GradScaler
    ema: WeightEma | None
    iteration: int
    best: dict[str, Any] | None
    best_key_warned: bool
    wall_time: float
    precision: str
    updating: bool
    trained_on: TrainedImages | None  # the images trained on (`fosp_core.trained_on`); None: not recorded

    def say(self, text: str) -> None:
        """Write a line for the user (rank 0 only)."""

    def eval_model(self) -> nn.Module:
        """The weights validation and the best checkpoint use."""
