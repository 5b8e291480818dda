"""SegFormer's all-MLP decode head (the paper's baseline and the decoder of ablation rows a-d).

Each backbone map is projected to ``channels`` (Linear, ``linear_c.{i}.proj``), upsampled to stride 4,
concatenated coarse-first [c32, c16, c8, c4] and fused by a 1x1 conv (``linear_fuse``, no bias) + BN +
ReLU; dropout and a 1x1 classifier give one smoke logit at stride 4. Key names follow Hugging Face's
``SegformerDecodeHead``.

Computation: projection, bilinear upsampling and the fuse conv are all linear, so each stride's
contribution ``W_fuse_i * (W_i * f_i + b_i)`` is computed as one fused 1x1 conv at the map's own stride
and only the 256-channel result is upsampled (exact; same parameters). ``reassociate = False`` runs the
textbook order (project, upsample, concat, fuse) for comparison.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from fosp_core.model.ops import conv1x1, resize

__all__ = ["SegFormerHead"]


class MLPProjection(nn.Module):
    """Linear C_in -> C applied per pixel (stored as ``proj``, a Linear like HF)."""

    def __init__(self, in_channels: int, channels: int) -> None:
        super().__init__()
        self.proj = nn.Linear(in_channels, channels)

    def forward(self, x: Tensor) -> Tensor:
        return conv1x1(x, self.proj.weight, self.proj.bias)


class SegFormerHead(nn.Module):
    """``forward([f4, f8, f16, f32])`` -> logits (B, 1, H4, W4); ``in_channels`` = (C4, C8, C16, C32)."""

    def __init__(
        self, in_channels: tuple[int, int, int, int], channels: int = 256, dropout: float = 0.1
    ) -> None:
        super().__init__()
        self.channels = channels
        self.linear_c = nn.ModuleList(MLPProjection(c, channels) for c in in_channels)
        self.linear_fuse = nn.Conv2d(channels * len(in_channels), channels, 1, bias=False)
        self.batch_norm = nn.BatchNorm2d(channels)
        self.dropout = nn.Dropout2d(dropout)
        self.classifier = nn.Conv2d(channels, 1, 1)
        self.reassociate = True

    def forward(self, feats: list[Tensor]) -> Tensor:
        size = feats[0].shape[-2:]
        n, ch = len(feats), self.channels
        fuse = self.linear_fuse.weight[:, :, 0, 0]
        if self.reassociate:
            z: Tensor | None = None
            for i in reversed(range(n)):
                j = n - 1 - i  # position in the coarse-first concatenation
                block = fuse[:, j * ch : (j + 1) * ch]
                proj = self.linear_c[i].proj
                y = conv1x1(feats[i], block @ proj.weight, block @ proj.bias)
                y = resize(y, size)
                z = y if z is None else z + y
            assert z is not None
        else:
            ups = [resize(self.linear_c[i](feats[i]), size) for i in reversed(range(n))]
            z = conv1x1(torch.cat(ups, dim=1), self.linear_fuse.weight)
        x = self.dropout(torch.relu_(self.batch_norm(z)))
        return conv1x1(x, self.classifier.weight, self.classifier.bias)
