"""FoSp loss, paper Eq. 8-9:

    L = lambda_f * BCE(focus logits, Y) + sum_i lambda_i * BCE(G_i, Y) + lambda_b * BCE(P, Y)

with lambda_f = lambda_i = 0.1 and lambda_b = 0.5 (``ModelConfig.loss_*``). Every logit map is
upsampled (bilinear, align_corners=False) to the label size; label 255 is ignored. A model without the
Focus module (SegFormer, ablation row a) is trained with plain BCE(P, Y).

``ModelConfig.loss`` may replace BCE on every map by a sum of terms, for plumes a few pixels wide that
a pixel-averaged BCE barely weighs: ``focal`` (Lin et al. 2017, gamma 2, no alpha), soft ``dice``
(per image) and the ``lovasz`` hinge (Berman et al. 2018, per image, a surrogate of the IoU).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from fosp_core.model.focus import resize
from fosp_core.model.outputs import FoSpOutput

__all__ = ["IGNORE_INDEX", "binary_ce_with_ignore", "dice_loss", "focal_loss", "fosp_loss", "lovasz_hinge", "map_loss"]

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


def _flat(logits: Tensor, target: Tensor, ignore_index: int) -> tuple[Tensor, Tensor, Tensor]:
    """Logits resized to the label, as (B, N) float, labels (B, N) float 0/1 and the valid mask (B, N)."""
    logits = resize(logits, target.shape[-2:])[:, 0].float().flatten(1)
    flat = target.flatten(1)
    return logits, (flat == 1).to(logits.dtype), flat != ignore_index


def focal_loss(logits: Tensor, target: Tensor, gamma: float = 2.0, ignore_index: int = IGNORE_INDEX) -> Tensor:
    """Mean sigmoid focal loss over non-ignored pixels: BCE scaled by (1 - p_t)^gamma."""
    x, y, valid = _flat(logits, target, ignore_index)
    bce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = torch.exp(-bce)
    loss = (1.0 - p_t).pow(gamma) * bce
    return (loss * valid).sum() / valid.sum().clamp(min=1)


def dice_loss(logits: Tensor, target: Tensor, smooth: float = 1.0, ignore_index: int = IGNORE_INDEX) -> Tensor:
    """1 - soft Dice per image (non-ignored pixels), averaged over the batch. A smoke-free image scores
    ``1 - smooth / (sum p + smooth)``, so flagged pixels there are still penalised."""
    x, y, valid = _flat(logits, target, ignore_index)
    p = torch.sigmoid(x) * valid
    y = y * valid
    inter = (p * y).sum(1)
    dice = (2 * inter + smooth) / (p.sum(1) + y.sum(1) + smooth)
    return (1.0 - dice).mean()


def _lovasz_grad(sorted_labels: Tensor) -> Tensor:
    """Gradient of the Lovász extension of the Jaccard loss for labels sorted by decreasing error."""
    gts = sorted_labels.sum()
    intersection = gts - sorted_labels.cumsum(0)
    union = gts + (1.0 - sorted_labels).cumsum(0)
    jaccard = 1.0 - intersection / union
    if sorted_labels.numel() > 1:
        jaccard[1:] = jaccard[1:] - jaccard[:-1].clone()
    return jaccard


def lovasz_hinge(logits: Tensor, target: Tensor, ignore_index: int = IGNORE_INDEX) -> Tensor:
    """Binary Lovász hinge per image over non-ignored pixels, averaged over the batch."""
    x, y, valid = _flat(logits, target, ignore_index)
    losses = []
    for xi, yi, vi in zip(x, y, valid, strict=True):
        xi, yi = xi[vi], yi[vi]
        if xi.numel() == 0:
            losses.append(xi.sum())
            continue
        errors = 1.0 - xi * (2.0 * yi - 1.0)
        errors_sorted, order = torch.sort(errors, descending=True)
        losses.append(torch.dot(F.relu(errors_sorted), _lovasz_grad(yi[order])))
    return torch.stack(losses).mean()


_TERMS = {"bce": binary_ce_with_ignore, "focal": focal_loss, "dice": dice_loss, "lovasz": lovasz_hinge}


def map_loss(logits: Tensor, target: Tensor, kind: str = "bce") -> Tensor:
    """The per-map loss named by ``kind`` (``bce``, or terms joined by ``+``, e.g. ``bce+dice``)."""
    total: Tensor | None = None
    for term in kind.split("+"):
        fn = _TERMS.get(term.strip())
        if fn is None:
            raise ValueError(f"unknown loss term {term!r}; expected terms from {sorted(_TERMS)} joined by '+'")
        value = fn(logits, target)
        total = value if total is None else total + value
    assert total is not None
    return total


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
    kind = str(getattr(config, "loss", "bce"))
    main = map_loss(output.logits, target, kind)
    parts: dict[str, float] = {"main": float(main.detach())}
    if output.focus_logits is None:
        parts["total"] = parts["main"]
        return main, parts
    total = lam_b * main
    focus = map_loss(output.focus_logits, target, kind)
    total = total + lam_f * focus
    parts["focus"] = float(focus.detach())
    if not output.side_logits:
        raise ValueError("fosp_loss needs the side logits g32/g16/g8/g4: call the model with need_side=True")
    for key in ("g32", "g16", "g8", "g4"):
        side = map_loss(output.side_logits[key], target, kind)
        total = total + lam_i * side
        parts[key] = float(side.detach())
    parts["total"] = float(total.detach())
    return total, parts
