"""Focus module: the Bidirectional Cascade Generator (BCG), paper Eq. 2-3 and Fig. 3.

Low-Mid Cascade (LMC), stride 32 -> 16::

    g32 = conv1x1(f32 -> 1);  f32' = sigmoid(g32) * f32 + f32
    g16 = conv1x1(cat(resize(conv1x1(f32' -> C16)), f16) -> 1)

High-Mid Cascade (HMC), stride 4 -> 8, the same with f4, f8 (g4, g8).
Focus logits = conv1x1(cat(resize(g8 to stride 16), g16) -> 1); Focus Map FM = sigmoid(focus logits).
Resizing is bilinear with align_corners=False.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from fosp_core.model.ops import conv1x1, resize

__all__ = ["BidirectionalCascadeGenerator", "CascadeBranch", "FocusOutput", "resize"]


@dataclass
class FocusOutput:
    """focus_logits / focus_map: (B, 1, ceil(H/16), ceil(W/16)) float, FM = sigmoid(logits).
    side_logits: {"g32", "g16", "g8", "g4"} -> (B, 1, ceil(H/s), ceil(W/s)) logits at their own stride.
    """

    focus_logits: Tensor
    focus_map: Tensor
    side_logits: dict[str, Tensor]


def _conv(conv: nn.Conv2d, x: Tensor) -> Tensor:
    return conv1x1(x, conv.weight, conv.bias)


class CascadeBranch(nn.Module):
    """One cascade (LMC or HMC): a source stride guides a target (mid) stride.

    ``source_classifier`` gives the source logits g_src, whose sigmoid re-weights the source map
    (query guidance); ``guide`` maps it to the target width; ``target_classifier`` reads it concatenated
    with the target map and gives g_dst. Returns (g_src, g_dst).
    """

    def __init__(self, source_channels: int, target_channels: int) -> None:
        super().__init__()
        self.source_classifier = nn.Conv2d(source_channels, 1, 1)
        self.guide = nn.Conv2d(source_channels, target_channels, 1)
        self.target_classifier = nn.Conv2d(2 * target_channels, 1, 1)

    def forward(self, source: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
        g_src = _conv(self.source_classifier, source)
        guided = source * (torch.sigmoid(g_src) + 1.0)
        if guided.shape[-1] > target.shape[-1]:
            # downsampling (HMC): a 1x1 conv commutes with bilinear resizing, so resize first (cheaper)
            query = _conv(self.guide, resize(guided, target.shape[-2:]))
        else:
            query = resize(_conv(self.guide, guided), target.shape[-2:])
        g_dst = _conv(self.target_classifier, torch.cat([query, target], dim=1))
        return g_src, g_dst


class BidirectionalCascadeGenerator(nn.Module):
    """Focus module. ``forward([f4, f8, f16, f32])`` -> ``FocusOutput``; channels ``in_channels``
    (C4, C8, C16, C32) are the backbone widths.
    """

    def __init__(self, in_channels: tuple[int, int, int, int]) -> None:
        super().__init__()
        c4, c8, c16, c32 = in_channels
        self.low_mid = CascadeBranch(c32, c16)
        self.high_mid = CascadeBranch(c4, c8)
        self.focus_classifier = nn.Conv2d(2, 1, 1)

    def forward(self, feats: list[Tensor]) -> FocusOutput:
        f4, f8, f16, f32 = feats
        g32, g16 = self.low_mid(f32, f16)
        g4, g8 = self.high_mid(f4, f8)
        focus_logits = _conv(self.focus_classifier, torch.cat([resize(g8, g16.shape[-2:]), g16], dim=1))
        return FocusOutput(
            focus_logits=focus_logits,
            focus_map=torch.sigmoid(focus_logits),
            side_logits={"g32": g32, "g16": g16, "g8": g8, "g4": g4},
        )
