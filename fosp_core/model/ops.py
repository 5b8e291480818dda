"""Small tensor helpers shared by the decoder modules (channels-last friendly)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["ConvBNReLU", "conv1x1", "resize"]


def resize(x: Tensor, size: tuple[int, int] | torch.Size) -> Tensor:
    """Bilinear resize (align_corners=False); returns ``x`` itself when the size already matches."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode="bilinear", align_corners=False)


def conv1x1(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """1x1 convolution as one GEMM over the channels-last view of ``x``.

    x: (B, C, H, W) in any memory format (channels-last avoids a copy); weight: (O, C) or (O, C, 1, 1);
    returns (B, O, H, W) in channels-last memory.
    """
    w = weight.reshape(weight.shape[0], weight.shape[1])
    return F.linear(x.permute(0, 2, 3, 1), w, bias).permute(0, 3, 1, 2)


def group_count(channels: int, most: int = 32) -> int:
    """GroupNorm groups for `channels`: the largest divisor of it up to `most` (32, as in GN's paper)."""
    return next(g for g in range(min(most, channels), 0, -1) if channels % g == 0)


class ConvBNReLU(nn.Module):
    """1x1 conv (no bias) + BatchNorm + ReLU, the mmcv ``ConvModule`` the authors use.

    In eval mode the BatchNorm is folded into the conv (one GEMM + in-place ReLU). `norm="gn"`
    puts a GroupNorm in its place (`ModelConfig.norm`), which cannot be folded.
    """

    def __init__(self, in_channels: int, out_channels: int, norm: str = "bn") -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.bn: nn.Module = nn.BatchNorm2d(out_channels) if norm == "bn" else nn.GroupNorm(
            group_count(out_channels), out_channels)

    @property
    def foldable(self) -> bool:
        """True when the norm is a BatchNorm with running statistics (it folds into the conv)."""
        return isinstance(self.bn, nn.BatchNorm2d) and self.bn.track_running_stats

    def folded(self) -> tuple[Tensor, Tensor]:
        """(weight (O, C), bias (O,)) of conv+BN with the running statistics (eval mode)."""
        bn = self.bn
        assert bn.running_var is not None and bn.running_mean is not None
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        weight = self.conv.weight[:, :, 0, 0] * scale[:, None]
        return weight, bn.bias - bn.running_mean * scale

    def pre_activation(self, x: Tensor) -> Tensor:
        """BN(conv(x)) without the ReLU."""
        if self.training or not self.foldable:
            return self.bn(conv1x1(x, self.conv.weight))
        weight, bias = self.folded()
        return conv1x1(x, weight, bias)

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu_(self.pre_activation(x))
