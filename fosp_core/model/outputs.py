"""Typed outputs of the FoSp / SegFormer models."""

from __future__ import annotations

from dataclasses import dataclass, field

from torch import Tensor

from fosp_core.model.focus import FocusOutput, resize

__all__ = ["Encoded", "FoSpOutput"]


@dataclass
class Encoded:
    """What ``model.encode(images)`` computes once per image (independent of tau).

    features: backbone maps [f4, f8, f16, f32], (B, C_i, ceil(H/s), ceil(W/s)) float.
    focus: the Focus module's output (None for SegFormer / ablation row a).
    input_size: (H, W) of the images.
    """

    features: list[Tensor]
    focus: FocusOutput | None
    input_size: tuple[int, int]


@dataclass
class FoSpOutput:
    """Structured model output. Sizes for an input of H x W (any H, W >= 32):

    logits: (B, 1, ceil(H/4), ceil(W/4)) float, the final smoke logit (stride 4);
        ``upsampled()`` resizes it to the input size.
    focus_logits / focus_map: (B, 1, ceil(H/16), ceil(W/16)); FM = sigmoid(focus_logits). None for SegFormer.
    side_logits: {"g32", "g16", "g8", "g4"} -> (B, 1, ceil(H/s), ceil(W/s)) BCG logits; empty for
        SegFormer or when not requested.
    hole: (B, 1, H, W) float, 1 where FM (resized to H x W) > tau: the region the inpainter removed.
    foreground: [F^F_1..F^F_4] = beta*|F^N - F^A| at strides 32, 16, 8, 4 (inpainter widths 512/512/512/256).
    background: (B, 3, H, W) RGB 0-255, the separated background (inpainted Focus region), or None
        when skipped.
    tau: the threshold the hole used (None without Separation).
    """

    logits: Tensor
    input_size: tuple[int, int]
    focus_logits: Tensor | None = None
    focus_map: Tensor | None = None
    side_logits: dict[str, Tensor] = field(default_factory=dict)
    hole: Tensor | None = None
    foreground: list[Tensor] = field(default_factory=list)
    background: Tensor | None = None
    tau: float | None = None

    def upsampled(self, size: tuple[int, int] | None = None) -> Tensor:
        """Final logits resized (bilinear, align_corners=False) to ``size`` (default: the input size)."""
        return resize(self.logits, size or self.input_size)

    def probabilities(self, size: tuple[int, int] | None = None) -> Tensor:
        """sigmoid of ``upsampled(size)``: smoke probability in [0, 1], (B, 1, H, W)."""
        return self.upsampled(size).sigmoid()
