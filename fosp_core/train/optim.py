"""Optimiser parameter groups and the poly learning-rate schedule with linear warm-up.

Groups follow the authors' mmseg config (`paramwise_cfg`: `pos_block` and `norm` without decay,
`head` at lr x10), decided from parameter names and shapes:

- **backbone** = parameters whose name starts with `backbone.` (the MiT encoder); they train at
  `lr`. Everything else that requires grad (Focus module, Separation adapters, Domain Fusion, the
  prediction head) is the **head** and trains at `lr * head_lr_mult`. Frozen parameters (the
  pre-trained inpainter) are left out.
- **no weight decay** for every parameter with fewer than 2 dimensions (biases, LayerNorm /
  BatchNorm weights, scalar gates) and every parameter whose name contains `norm` or `pos_block`
  (position blocks, patch-embedding norms). All other weights decay by `weight_decay`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from fosp_core.train.config import OptimConfig
from fosp_core.train.warmup import SHORT_WARMUP_CAP, fitted_ramp_end, fitted_slope, short_warmup

NO_DECAY_NAME_PARTS = ("norm", "pos_block", "position")


def is_backbone(name: str, backbone_prefix: str = "backbone.") -> bool:
    """True for parameters of the encoder (trained at the base lr)."""
    return name.startswith(backbone_prefix)


def decays(name: str, param: torch.Tensor) -> bool:
    """True when weight decay applies: weights with >= 2 dims whose names are not norms/position blocks."""
    if param.ndim < 2:
        return False
    lowered = name.lower()
    return not any(part in lowered for part in NO_DECAY_NAME_PARTS)


def param_groups(
    named_params: Iterable[tuple[str, nn.Parameter]], cfg: OptimConfig, backbone_prefix: str = "backbone."
) -> list[dict]:
    """Up to four AdamW groups (backbone/head x decay/no decay); each carries `name`, `lr`,
    `weight_decay` and `lr_mult` (the multiplier over `cfg.lr` the scheduler keeps)."""
    buckets: dict[tuple[bool, bool], list[nn.Parameter]] = {}
    for name, p in named_params:
        if not p.requires_grad:
            continue
        key = (is_backbone(name, backbone_prefix), decays(name, p))
        buckets.setdefault(key, []).append(p)
    groups = []
    for (backbone, decay), params in sorted(buckets.items(), reverse=True):
        mult = 1.0 if backbone else cfg.head_lr_mult
        groups.append(
            {
                "name": f"{'backbone' if backbone else 'head'}{'' if decay else '_no_decay'}",
                "params": params,
                "lr": cfg.lr * mult,
                "lr_mult": mult,
                "weight_decay": cfg.weight_decay if decay else 0.0,
            }
        )
    if not groups:
        raise ValueError("the model has no trainable parameters")
    return groups


def build_optimizer(model: nn.Module, cfg: OptimConfig, backbone_prefix: str = "backbone.") -> torch.optim.AdamW:
    """AdamW over `param_groups(model.named_parameters())`."""
    groups = param_groups(model.named_parameters(), cfg, backbone_prefix)
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)


def lr_factor(it: int, total: int, warmup_iters: int, warmup_ratio: float, power: float,
              min_ratio: float = 0.0, decay_from: int = 0, warmup_from: int = 0, peak: float = 1.0) -> float:
    """Multiplier of the base lr at iteration `it` (0-based) — mmseg's poly policy with linear warm-up.

    poly: `(1 - (it - decay_from) / (total - decay_from)) ** power * (peak - min_ratio) + min_ratio`
    (`peak` before `decay_from`); mmseg's schedule decays from 1 at 0 (`decay_from=0`, `peak=1`), a
    run fitted to a time budget from its warm-up's end (`PolyWarmupLR.fit`), so its lr reaches the
    base lr, or from the iteration and level of a refit after its warm-up (no drop at the refit).
    warm-up (it < warmup_iters): the poly value times `1 - (1 - s) * (1 - warmup_ratio)` with
    `s = (it - warmup_from) / (warmup_iters - warmup_from)`, i.e. rising linearly from
    `warmup_ratio` at `warmup_from` (0 for mmseg's; the fit's iteration for a fitted one, whose
    `warmup_ratio` is then the level the lr had reached) to 1 at `warmup_iters`; held at
    `warmup_ratio` before `warmup_from`.
    """
    it = max(0, min(it, total))
    span = total - decay_from
    done = (it - decay_from) / span if span > 0 and it > decay_from else 0.0
    poly = (1.0 - done) ** power * (peak - min_ratio) + min_ratio
    if it < warmup_iters:
        rise = warmup_iters - warmup_from  # > 0 from `warmup_from` on; before it the ratio is held
        k = (1.0 - (max(0, it - warmup_from) / rise if rise > 0 else 0.0)) * (1.0 - warmup_ratio)
        return poly * (1.0 - k)
    return poly


def warmup_note(cfg: OptimConfig, total: int, length: str = "") -> str:
    """A warning when the warm-up does not end before the run does ("" otherwise): the lr then never
    reaches `cfg.lr` (a 4-iteration run of a recipe with 300 warm-up iterations peaks at 0.4 % of it).
    `length` names the run's length (default "train.iterations = <total>"). The warm-up it proposes
    is `warmup.short_warmup(total)`, the rule the app's Fine-tune plans its warm-up by."""
    if cfg.warmup_iters < total or total < 1:
        return ""
    peak = max(lr_factor(it, total, cfg.warmup_iters, cfg.warmup_ratio, cfg.power, 0.0) for it in range(total))
    return (f"warning: optim.warmup_iters = {cfg.warmup_iters} is not below {length or f'train.iterations = {total}'}: the "
            f"learning rate never ends its warm-up and peaks at {100 * peak:.2g} % of optim.lr = {cfg.lr:g}; "
            f"for a run this short set optim.warmup_iters={short_warmup(total)} (a fifth of its iterations, at most "
            f"{SHORT_WARMUP_CAP}: the app's Fine-tune plans its warm-up so)")


class PolyWarmupLR(torch.optim.lr_scheduler.LRScheduler):
    """Poly decay (power `cfg.power`) over `total` iterations after `cfg.warmup_iters` linear warm-up.

    Call `step()` once per optimiser step; group lr = `cfg.lr * group["lr_mult"] * lr_factor(...)`.
    `state_dict()` / `load_state_dict()` restore it exactly (the iteration is `last_epoch`). A time
    budget re-plans it (`fit`): the warm-up goes on from the lr reached (`warmup.fitted_ramp_end`)
    and the decay starts at its end, or, the warm-up over, from the lr reached.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, cfg: OptimConfig, total: int, last_epoch: int = -1):
        self.total = total
        self.warmup_iters = cfg.warmup_iters
        self.warmup_ratio = cfg.warmup_ratio
        self.power = cfg.power
        self.min_ratio = cfg.min_lr / cfg.lr if cfg.lr > 0 else 0.0
        self.fitted_warmup: int | None = None  # where a time budget's warm-up ends (None: the recipe's)
        self.decay_from = 0  # where the poly decay starts (a fitted schedule: its warm-up's end)
        # A fit's warm-up rises from `fitted_start` x lr at iteration `fitted_from`; the decay starts
        # at `decay_peak`. A checkpoint from before these (None, 0, 1) ramps from the recipe's ratio at 0.
        self.fitted_from = 0
        self.fitted_start: float | None = None
        self.decay_peak = 1.0
        super().__init__(optimizer, last_epoch)

    @property
    def warmup_now(self) -> int:
        """Where the warm-up the schedule follows ends: the fitted one's, else the recipe's."""
        return self.warmup_iters if self.fitted_warmup is None else self.fitted_warmup

    def factor(self, it: int) -> float:
        """The multiplier of the base lr at iteration `it` (`lr_factor` with the fitted values)."""
        start = self.warmup_ratio if self.fitted_start is None else self.fitted_start
        return lr_factor(it, self.total, self.warmup_now, start, self.power, self.min_ratio,
                         self.decay_from, self.fitted_from, self.decay_peak)

    def get_lr(self) -> list[float]:  # type: ignore[override]
        f = self.factor(self.last_epoch)
        return [base * f for base in self.base_lrs]

    def _slope_now(self) -> float:
        """The rise a step of the warm-up followed now (0 when there is none)."""
        end, start = self.warmup_now, self.warmup_ratio if self.fitted_start is None else self.fitted_start
        return (1.0 - start) / (end - self.fitted_from) if end > self.fitted_from else 0.0

    def fit(self, total: int) -> int:
        """Re-plan for a run of `total` iterations at the iteration reached (`last_epoch`), keeping
        the lr there: a warm-up not over goes on from that lr at the fitted warm-up's slope
        (`warmup.fitted_slope`, or its own when steeper) and the poly decay runs from its end to
        `total`; a warm-up over decays from that lr to `total`. The next step's lr follows at once.
        Returns the iteration where the warm-up ends (`total` when the run ends first: the lr then
        rises at that slope to the run's end, short of `optim.lr`)."""
        at = max(0, self.last_epoch)
        level = self.factor(at)
        if at < self.warmup_now:
            slope = max(self._slope_now(), fitted_slope(self.warmup_iters, total, self.warmup_ratio))
            end = fitted_ramp_end(at, level, slope, total)
            if end > at:
                self.fitted_warmup, self.fitted_from, self.fitted_start = end, at, level
                self.decay_from, self.decay_peak = end, 1.0
            else:  # no step left to rise in (the run ends at `at`): the lr stays where it is
                self.fitted_warmup, self.fitted_from, self.fitted_start = at, at, 1.0
                self.decay_from, self.decay_peak = at, level
        else:
            self.fitted_warmup = self.warmup_now
            self.decay_from, self.decay_peak = at, level
        self.total = total
        self.apply()
        return min(self.fitted_warmup, total)  # a ramp the run's end cuts short: it lasts the whole run

    def apply(self) -> None:
        """Set the groups' lr (and `get_last_lr()`) to the schedule's value at `last_epoch`."""
        lrs = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = list(lrs)  # what get_last_lr() reports


def _saved_settings(optimizer: torch.optim.Optimizer, scheduler: PolyWarmupLR) -> dict[str, Any]:
    """The optimiser settings a loaded state carries, named like `OptimConfig`'s fields."""
    groups = optimizer.param_groups
    lr = scheduler.base_lrs[0] / groups[0]["lr_mult"]
    return {
        "lr": lr,
        "head_lr_mult": next((g["lr_mult"] for g in groups if not g["name"].startswith("backbone")), None),
        "weight_decay": next((g["weight_decay"] for g in groups if not g["name"].endswith("_no_decay")), None),
        "betas": tuple(groups[0]["betas"]),
        "eps": groups[0]["eps"],
        "warmup_iters": scheduler.warmup_iters,
        "warmup_ratio": scheduler.warmup_ratio,
        "power": scheduler.power,
        "min_lr": scheduler.min_ratio * lr,
    }


def _same(a: Any, b: Any) -> bool:
    if a is None:
        return True  # the model has no such group: nothing to change
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-15)


def follow_config(optimizer: torch.optim.Optimizer, scheduler: PolyWarmupLR, cfg: OptimConfig) -> list[str]:
    """After a resume: make the loaded optimiser and schedule use `cfg`'s settings (a recipe that
    changes `optim.lr`, the warm-up or the decay is followed from the resumed iteration on, as a
    longer `train.iterations` is). Returns the changes, e.g. `["optim.lr 0.001 -> 0.01"]`; none
    when the recipe is unchanged (then nothing is touched: the resume stays bit-exact)."""
    saved = _saved_settings(optimizer, scheduler)
    changed = [f"optim.{k} {saved[k]!r} -> {getattr(cfg, k)!r}" for k in saved if not _same(saved[k], getattr(cfg, k))]
    if not changed:
        return []
    for group in optimizer.param_groups:
        backbone = group["name"].startswith("backbone")
        group["lr_mult"] = 1.0 if backbone else cfg.head_lr_mult
        group["initial_lr"] = cfg.lr * group["lr_mult"]
        group["betas"], group["eps"] = tuple(cfg.betas), cfg.eps
        if not group["name"].endswith("_no_decay"):
            group["weight_decay"] = cfg.weight_decay
    scheduler.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
    scheduler.warmup_iters, scheduler.warmup_ratio, scheduler.power = cfg.warmup_iters, cfg.warmup_ratio, cfg.power
    scheduler.min_ratio = cfg.min_lr / cfg.lr
    if not _same(saved["warmup_iters"], cfg.warmup_iters):  # the recipe's new warm-up, not a budget's fit
        scheduler.fitted_warmup, scheduler.decay_from = None, 0
        scheduler.fitted_from, scheduler.fitted_start, scheduler.decay_peak = 0, None, 1.0
    scheduler.apply()
    return changed
