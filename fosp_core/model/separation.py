"""Separation module, paper Eq. 4-7 and Fig. 2.

A frozen, pre-trained inpainter is called twice with shared weights: branch N with the Focus region
removed (hole where FM > tau), branch A with nothing removed. Foreground features
F^F_i = beta * |F^N_i - F^A_i| (beta = 10) at strides 32/16/8/4 are *registered* to the backbone: a
1x1 conv + BN + ReLU to the backbone width of that stride, resized to the backbone map. The RGB
completion of branch N, composited with the known pixels, is the "separated background" (paper
Fig. 7), shown and never trained on.

The inpainter is pluggable: any module with ``feature_channels`` (widths at strides 32, 16, 8, 4) and
``forward(image_0_255, hole, need_features=..., need_rgb=...) -> InpainterOutput``; an optional
``feature_difference(image, hole, need_rgb)`` is used when present (the default inpainter's fast path).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from fosp_core.model.ops import ConvBNReLU, resize

__all__ = ["ConvBNReLU", "SeparationModule", "SeparationOutput"]

_KEYS = ("s32", "s16", "s8", "s4")


@dataclass
class SeparationOutput:
    """foreground: [F^F_1..F^F_4] = beta*|F^N - F^A| at strides 32, 16, 8, 4 (inpainter widths).
    registered: the same registered to the backbone, ordered like the backbone [s4, s8, s16, s32].
    background: (B, 3, H, W) RGB 0-255 completion of branch N composited with the known pixels, or None.
    """

    foreground: list[Tensor]
    registered: list[Tensor]
    background: Tensor | None


class SeparationModule(nn.Module):
    """``forward(inpainter, image, hole, backbone_sizes, need_background)`` -> ``SeparationOutput``.

    image: (B, 3, H, W) float RGB 0-255; hole: (B, 1, H, W) float, 1 = removed; backbone_sizes: the
    (h, w) of [f4, f8, f16, f32]. backbone_widths: (C4, C8, C16, C32). The inpainter is held by the FoSp model (``model.inpainter``)
    and passed in, so its weights live under one prefix and can be loaded from a separate file.
    """

    def __init__(
        self, feature_channels: tuple[int, ...], backbone_widths: tuple[int, ...], beta: float, norm: str = "bn"
    ) -> None:
        super().__init__()
        self.beta = float(beta)
        c4, c8, c16, c32 = backbone_widths
        targets = {"s32": c32, "s16": c16, "s8": c8, "s4": c4}
        self.registration = nn.ModuleDict(
            {k: ConvBNReLU(cin, targets[k], norm) for k, cin in zip(_KEYS, feature_channels, strict=True)}
        )

    def forward(
        self,
        inpainter: nn.Module,
        image: Tensor,
        hole: Tensor,
        backbone_sizes: list[tuple[int, int]],
        need_background: bool = True,
    ) -> SeparationOutput:
        trainable = any(p.requires_grad for p in inpainter.parameters())
        with torch.set_grad_enabled(torch.is_grad_enabled() and trainable):
            if hasattr(inpainter, "feature_difference"):
                diffs, rgb = inpainter.feature_difference(image, hole, need_rgb=need_background)
            else:
                b = image.shape[0]
                out = inpainter(
                    torch.cat([image, image]),
                    torch.cat([hole, torch.zeros_like(hole)]),
                    need_features=True,
                    need_rgb=need_background,
                )
                diffs = [f[:b] - f[b:] for f in out.features]
                rgb = out.rgb[:b] if out.rgb is not None else None
        foreground = [self.beta * d.abs() if d.requires_grad else d.abs_().mul_(self.beta) for d in diffs]
        registered = []
        for key, fg, size in zip(_KEYS, foreground, reversed(backbone_sizes), strict=True):
            registered.append(resize(self.registration[key](fg), size))
        background = None
        if rgb is not None:
            hole_f = hole.to(rgb.dtype)
            background = image.to(rgb.dtype) * (1.0 - hole_f) + rgb.clamp(0.0, 255.0) * hole_f
        return SeparationOutput(foreground=foreground, registered=registered[::-1], background=background)
