"""An exponential moving average (EMA) of a model's weights, for validation and the exported model.

    ema = WeightEma(model, decay=0.999)
    ... after every optimiser step: ema.update(model)
    ema.module  -> an eval-mode copy holding the averaged weights (validate / save this one)

Every floating-point entry of the state dict (parameters and BatchNorm running statistics) is
averaged; integer buffers (`num_batches_tracked`) are copied. The decay warms up as in timm's
`ModelEmaV3`: the effective decay after `n` updates is `min(decay, (1 + n) / (10 + n))`, so the
average follows the weights closely at the start of a run instead of sticking to its first state
(for a continued run, the committed weights it starts from).
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

__all__ = ["WeightEma"]


class WeightEma:
    """See the module doc. `decay` in (0, 1); `warmup` turns the timm-style decay warm-up on."""

    def __init__(self, model: nn.Module, decay: float, warmup: bool = True):
        if not 0.0 < decay < 1.0:
            raise ValueError(f"EMA decay must be in (0, 1), got {decay}")
        self.decay = float(decay)
        self.warmup = warmup
        self.updates = 0
        self.module = copy.deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)

    def current_decay(self) -> float:
        """The decay the next update uses."""
        if not self.warmup:
            return self.decay
        n = self.updates
        return min(self.decay, (1.0 + n) / (10.0 + n))

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        """Move the average towards `model`'s current weights (call after each optimiser step)."""
        d = self.current_decay()
        live = model.state_dict()
        avg_f: list[torch.Tensor] = []
        new_f: list[torch.Tensor] = []
        for key, ema_v in self.module.state_dict().items():
            v = live[key].detach()
            if ema_v.is_floating_point():
                avg_f.append(ema_v)
                new_f.append(v.to(ema_v.dtype))
            else:
                ema_v.copy_(v)
        if avg_f:
            torch._foreach_lerp_(avg_f, new_f, 1.0 - d)
        self.updates += 1

    def state_dict(self) -> dict[str, Any]:
        """What a training state keeps to resume the average exactly."""
        return {"weights": {k: v.detach().to("cpu", copy=True) for k, v in self.module.state_dict().items()},
                "updates": self.updates, "decay": self.decay}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.module.load_state_dict(state["weights"])
        self.updates = int(state.get("updates", 0))
