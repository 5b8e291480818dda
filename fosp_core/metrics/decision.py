"""From a probability map to a mask: which connected regions of the 0.5 mask count as smoke.

The plain rule keeps every pixel with probability > threshold. The component rules look at each
8-connected region of that mask as a whole and drop the weak ones (their probability is set to 0),
which is where most false alarms of a small model live: patches of haze or cloud that barely cross
the threshold, while real plumes have a confident core.

Rules, as strings (the CLI's and the benches' spelling) or `DecisionRule`:
- `plain`: probability > threshold.
- `core:T`: hysteresis, keep a region only if some pixel in it is above T (T > threshold).
- `mean:T`: keep a region only if its mean probability is above T.
- `area:A`: keep a region only if it has at least A pixels, counted at a 512-px long side (so the
  rule means the same for any image size).

Pure numpy + OpenCV; no Qt, no torch.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["DecisionRule", "parse_rule", "apply_rule", "keep_regions", "drop_outside"]

KINDS = ("plain", "core", "mean", "area")


@dataclass(frozen=True)
class DecisionRule:
    """kind: one of KINDS; value: T for core/mean, A for area (ignored for plain)."""

    kind: str = "plain"
    value: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"decision rule kind must be one of {KINDS}, not {self.kind!r}")
        if self.kind in ("core", "mean") and not 0.0 <= self.value <= 1.0:
            raise ValueError(f"{self.kind}:T needs T in [0, 1], got {self.value}")
        if self.kind == "area" and self.value < 0:
            raise ValueError(f"area:A needs A >= 0, got {self.value}")

    def __str__(self) -> str:
        return "plain" if self.kind == "plain" else f"{self.kind}:{self.value:g}"


def parse_rule(text: str | DecisionRule) -> DecisionRule:
    """`plain`, `core:0.8`, `mean:0.7`, `area:64` -> DecisionRule (ValueError with the spelling)."""
    if isinstance(text, DecisionRule):
        return text
    kind, _, value = text.strip().partition(":")
    if kind == "plain" and not value:
        return DecisionRule()
    if kind not in KINDS or kind == "plain" or not value:
        raise ValueError(f"decision rule {text!r}: write plain, core:T, mean:T or area:A")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"decision rule {text!r}: {value!r} is not a number") from None
    return DecisionRule(kind, number)


def keep_regions(prob: np.ndarray, rule: str | DecisionRule, threshold: float = 0.5) -> np.ndarray:
    """bool HxW: the pixels of `prob > threshold` in the regions `rule` keeps."""
    rule = parse_rule(rule)
    prob = np.asarray(prob, dtype=np.float32)
    mask = prob > threshold
    if rule.kind == "plain" or not mask.any():
        return mask
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    if rule.kind == "core":
        strong = np.unique(labels[prob > max(rule.value, threshold)])
        keep = np.zeros(count, dtype=bool)
        keep[strong] = True
    else:
        flat = labels.ravel()
        area = np.bincount(flat, minlength=count).astype(np.float64)
        if rule.kind == "mean":
            total = np.bincount(flat, weights=prob.ravel().astype(np.float64), minlength=count)
            keep = total > rule.value * np.maximum(area, 1.0)
        else:
            scale = (512.0 / max(prob.shape)) ** 2
            keep = area * scale >= rule.value
    keep[0] = False  # the background label
    return keep[labels]


def apply_rule(prob: np.ndarray, rule: str | DecisionRule, threshold: float = 0.5) -> np.ndarray:
    """`prob` (float32 copy) with the probability of every dropped region set to 0, so that
    `prob > threshold` is the rule's mask and the map stays a probability map elsewhere."""
    if parse_rule(rule).kind == "plain":
        return np.array(prob, dtype=np.float32, copy=True)
    return drop_outside(prob, keep_regions(prob, rule, threshold), threshold)


def drop_outside(prob: np.ndarray, kept: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """`prob` (float32 copy) with 0 where it is above `threshold` outside the mask `kept` (the
    `keep_regions` of some rule, e.g. one already drawn), so `prob > threshold` is that mask."""
    prob = np.array(prob, dtype=np.float32, copy=True)
    prob[(prob > threshold) & ~np.asarray(kept, dtype=bool)] = 0.0
    return prob
