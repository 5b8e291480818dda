"""FoSp loss, paper Eq. 8-9:

    L = lambda_f * BCE(focus logits, Y) + sum_i lambda_i * BCE(G_i, Y) + lambda_b * BCE(P, Y)

with lambda_f = lambda_i = 0.1 and lambda_b = 0.5 (``ModelConfig.loss_*``). Every logit map is
upsampled (bilinear, align_corners=False) to the label size; label 255 is ignored. A model without the
Focus module (SegFormer, ablation row a) is trained with plain BCE(P, Y).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from fosp_core.model.focus import resize
from fosp_core.model.outputs import FoSpOutput

__all__ = ["IGNORE_INDEX", "binary_ce_with_ignore", "fosp_loss"]

IGNORE_INDEX = 255


def _check_target(target: Tensor) -> Tensor:
    if not isinstance(target, Tensor):
        raise TypeError(f"target must be a torch.Tensor, got {type(target).__name__}")
    if target.ndim == 4 and target.shape[1] == 1:
        target = target[:, 0]
    if target.ndim != 3:
        raise ValueError(f"target must be (B, H, W) with values 0/1/255, got shape {tuple(target.shape)}")
    if target.is_floating_point() or target.dtype == torch.bool:
        raise TypeError(f"target must be an integer tensor (uint8/int64) of 0/1/255, got {target.dtype}")
    bad = (target != 0) & (target != 1) & (target != IGNORE_INDEX)
    if bool(bad.any()):
        raise ValueError(
            f"target values must be 0, 1 or 255; found {sorted(target[bad].unique().tolist())[:5]}"
        )
    return target


def binary_ce_with_ignore(logits: Tensor, target: Tensor, ignore_index: int = IGNORE_INDEX) -> Tensor:
    """Mean BCE over non-ignored pixels. logits (B, 1, h, w) any stride; target (B, H, W) int 0/1/255."""
    logits = resize(logits, target.shape[-2:])[:, 0].float()
    valid = target != ignore_index
    loss = F.binary_cross_entropy_with_logits(logits, (target == 1).to(logits.dtype), reduction="none")
    return (loss * valid).sum() / valid.sum().clamp(min=1)


def fosp_loss(
    output: FoSpOutput, target: Tensor, config: object | None = None
) -> tuple[Tensor, dict[str, float]]:
    """Total loss and its parts (floats, for logging). ``config`` (a ModelConfig) overrides the lambdas."""
    target = _check_target(target)
    if target.shape[0] != output.logits.shape[0]:
        raise ValueError(f"target batch {target.shape[0]} != output batch {output.logits.shape[0]}")
    lam_f = float(getattr(config, "loss_focus", 0.1))
    lam_i = float(getattr(config, "loss_side", 0.1))
    lam_b = float(getattr(config, "loss_main", 0.5))
    main = binary_ce_with_ignore(output.logits, target)
    parts: dict[str, float] = {"main": float(main.detach())}
    if output.focus_logits is None:
        parts["total"] = parts["main"]
        return main, parts
    total = lam_b * main
    focus = binary_ce_with_ignore(output.focus_logits, target)
    total = total + lam_f * focus
    parts["focus"] = float(focus.detach())
    if not output.side_logits:
        raise ValueError("fosp_loss needs the side logits g32/g16/g8/g4: call the model with need_side=True")
    for key in ("g32", "g16", "g8", "g4"):
        side = binary_ce_with_ignore(output.side_logits[key], target)
        total = total + lam_i * side
        parts[key] = float(side.detach())
    parts["total"] = float(total.detach())
    return total, parts
