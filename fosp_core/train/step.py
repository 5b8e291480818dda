"""One optimiser step of the training loop (`optimizer_step`; `fosp_core.train.loop.Trainer._step`).

A batch of `train.batch_size x train.grad_accum` crops is split into `grad_accum` micro-batches;
each runs forward under the run's autocast and backward (DDP synchronises the gradients only on the
last one). When the loss was finite on every rank the gradients are unscaled, clipped
(`optim.grad_clip`), applied (AdamW through the loss scaler) and folded into the weight average;
else every rank skips the update together, so the replicas stay identical. The lr schedule and the
iteration advance either way, inside `interrupt_after`: Ctrl-C or a stop request lands after the
update, leaving a whole state to save. One that lands in the forward or backward puts back what they
changed besides the gradients (`StepStart`: the buffers and RNG states), so the state saved is the
previous step's and a resume continues exactly.
"""

from __future__ import annotations

import contextlib
import math

import torch

from fosp_core.train import distributed as dist_utils
from fosp_core.train import model_io
from fosp_core.train.runtime import autocast
from fosp_core.train.signals import interrupt_after
from fosp_core.train.state import rng_state, set_rng_state
from fosp_core.train.trainer_types import TrainerParts

__all__ = ["StepStart", "optimizer_step"]


class StepStart:
    """What a step's forward and backward change besides gradients: the model's buffers (BatchNorm
    running statistics and counts) and the RNG states (drop path, a loss's sampling), as the step found
    them; `put_back` sets them back, so that a stop inside the step saves the state of the step before
    and `--resume` goes on exactly as the run would have (a copy of the buffers and RNG states a step:
    a few hundred KB for FoSp-s, nothing beside a step's time)."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.buffers = [(b, b.detach().clone()) for b in model.buffers()]
        self.rng = rng_state()

    def put_back(self) -> None:
        with torch.no_grad():
            for buffer, saved in self.buffers:
                buffer.copy_(saved)
        set_rng_state(self.rng)


def optimizer_step(trainer: TrainerParts, images: torch.Tensor,
                   masks: torch.Tensor) -> tuple[float, dict[str, float], bool]:
    """One optimiser step of `trainer` over `grad_accum` micro-batches of `images` ((B, 3, H, W),
    made float32 on the device) and `masks` ((B, H, W), made int64); returns the mean loss, its parts, and whether the loss was
    finite on every rank (else the step was skipped everywhere)."""
    cfg, tc, device = trainer.cfg, trainer.cfg.train, trainer.device
    nb = device.type == "cuda"
    images = images.to(device, non_blocking=nb).float()
    if cfg.model.channels_last and device.type == "cuda":
        images = images.contiguous(memory_format=torch.channels_last)
    targets = masks.to(device, non_blocking=nb).long()
    trainer.optimizer.zero_grad(set_to_none=True)
    total_loss, parts_sum = 0.0, {}
    chunks = zip(images.chunk(tc.grad_accum), targets.chunk(tc.grad_accum), strict=True)
    before = StepStart(model_io.unwrap(trainer.model))
    try:
        for k, (x, y) in enumerate(chunks):
            last = k == tc.grad_accum - 1
            sync = contextlib.nullcontext() if last or not trainer.dist.enabled else trainer.model.no_sync()
            with sync:
                with autocast(trainer.precision, device):
                    loss, parts = trainer.task.loss(trainer.model, x, y, (trainer.iteration, trainer.dist.rank, k))
                trainer.scaler.scale(loss / tc.grad_accum).backward()
            total_loss += float(loss.detach()) / tc.grad_accum
            for key, v in parts.items():
                parts_sum[key] = parts_sum.get(key, 0.0) + v / tc.grad_accum
        finite = float(dist_utils.all_mean(torch.tensor(1.0 if math.isfinite(total_loss) else 0.0)))
    except KeyboardInterrupt:  # a stop in the forward, backward or finite look: the state is the step's start
        before.put_back()
        raise
    with interrupt_after():  # Ctrl-C / a stop request here lands after the update: a whole state to save
        trainer.updating = True  # (where the interrupt cannot be deferred, a torn state is not saved)
        if finite < 1.0:  # every rank skips together, so the replicas stay identical
            trainer.optimizer.zero_grad(set_to_none=True)
        else:
            if cfg.optim.grad_clip > 0:
                trainer.scaler.unscale_(trainer.optimizer)
                torch.nn.utils.clip_grad_norm_(
                    [p for g in trainer.optimizer.param_groups for p in g["params"]], cfg.optim.grad_clip)
            trainer.scaler.step(trainer.optimizer)
            trainer.scaler.update()
            if trainer.ema is not None:
                trainer.ema.update(model_io.unwrap(trainer.model))
        trainer.scheduler.step()
        trainer.iteration += 1
        trainer.updating = False
    return total_loss, parts_sum, finite >= 1.0
