"""Mix Transformer (MiT-B0 ... MiT-B5), the SegFormer encoder used as FoSp's backbone.

Plain PyTorch. Names follow the SegFormer paper (and Hugging Face's ``modeling_segformer.py``):
``OverlapPatchEmbeddings``, ``EfficientSelfAttention`` (query, key, value, sr), ``MixFFN`` (dense1,
dwconv, dense2). State-dict keys are hierarchical::

    stages.{i}.patch_embed.{proj,layer_norm}
    stages.{i}.blocks.{j}.{layer_norm_1,attention.{query,key,value,sr,layer_norm,proj},layer_norm_2,
                          mlp.{dense1,dwconv,dense2}}
    stages.{i}.layer_norm

Foreign checkpoints (Hugging Face, mmseg, official NVlabs) map onto these keys in
``fosp_core.model.keymap``.

Size rule (no padding needed): for an input of H x W (both >= 32) the feature at stride s has
ceil(H / s) x ceil(W / s) pixels, exactly as the reference implementations. Spatial reduction
(a strided conv of kernel = stride = sr) floors, so the last rows/columns of a map whose size is not a
multiple of sr do not contribute keys -- again like the reference.

Tokens are kept as (B, N, C) with N = H*W in row-major order, i.e. the memory of a channels-last
(B, C, H, W) map, so the depthwise and spatial-reduction convolutions read and write tokens without
copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from fosp_core.model.weight_init import initialising

__all__ = ["MIT_CONFIGS", "MiTConfig", "MixVisionTransformer", "mit_min_input_size"]


@dataclass(frozen=True)
class MiTConfig:
    """Hyper-parameters of one MiT size (SegFormer paper, Table 6 of its appendix)."""

    embed_dims: tuple[int, int, int, int]
    depths: tuple[int, int, int, int]
    num_heads: tuple[int, int, int, int] = (1, 2, 5, 8)
    sr_ratios: tuple[int, int, int, int] = (8, 4, 2, 1)
    patch_sizes: tuple[int, int, int, int] = (7, 3, 3, 3)
    strides: tuple[int, int, int, int] = (4, 2, 2, 2)
    mlp_ratio: int = 4
    in_channels: int = 3


_WIDE = (64, 128, 320, 512)
MIT_CONFIGS: dict[str, MiTConfig] = {
    "mit_b0": MiTConfig(embed_dims=(32, 64, 160, 256), depths=(2, 2, 2, 2)),
    "mit_b1": MiTConfig(embed_dims=_WIDE, depths=(2, 2, 2, 2)),
    "mit_b2": MiTConfig(embed_dims=_WIDE, depths=(3, 4, 6, 3)),
    "mit_b3": MiTConfig(embed_dims=_WIDE, depths=(3, 4, 18, 3)),
    "mit_b4": MiTConfig(embed_dims=_WIDE, depths=(3, 8, 27, 3)),
    "mit_b5": MiTConfig(embed_dims=_WIDE, depths=(3, 6, 40, 3)),
}


def mit_min_input_size(cfg: MiTConfig) -> int:
    """Smallest H (or W) for which every spatial-reduction conv still sees one full window."""
    size = 1
    while True:
        h = size
        ok = True
        for stride, patch, sr in zip(cfg.strides, cfg.patch_sizes, cfg.sr_ratios, strict=True):
            h = (h + 2 * (patch // 2) - patch) // stride + 1
            if h < sr:
                ok = False
                break
        if ok:
            return size
        size += 1


def _as_map(tokens: Tensor, height: int, width: int) -> Tensor:
    """(B, N, C) tokens -> (B, C, H, W) view in channels-last memory (no copy when contiguous)."""
    b, _, c = tokens.shape
    return tokens.view(b, height, width, c).permute(0, 3, 1, 2)


def _as_tokens(fmap: Tensor) -> Tensor:
    """(B, C, H, W) -> (B, H*W, C); a view when the map is channels-last."""
    b, c, h, w = fmap.shape
    return fmap.permute(0, 2, 3, 1).reshape(b, h * w, c)


class DropPath(nn.Module):
    """Stochastic depth: drops the whole residual branch per sample with probability ``drop_prob``."""

    def __init__(self, drop_prob: float = 0.0) -> None:
        super().__init__()
        self.drop_prob = float(drop_prob)

    def forward(self, x: Tensor) -> Tensor:
        if self.drop_prob == 0.0 or not self.training:
            return x
        keep = 1.0 - self.drop_prob
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask.div_(keep)

    def extra_repr(self) -> str:
        return f"drop_prob={self.drop_prob}"


class OverlapPatchEmbeddings(nn.Module):
    """Strided conv (kernel > stride, so patches overlap) + LayerNorm.

    Input (B, C_in, H, W) float; output tokens (B, ceil(H/s)*ceil(W/s), C) and the map size.
    """

    def __init__(self, in_channels: int, embed_dim: int, patch_size: int, stride: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, embed_dim, patch_size, stride, padding=patch_size // 2)
        self.layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x: Tensor) -> tuple[Tensor, int, int]:
        x = self.proj(x)
        _, _, h, w = x.shape
        return self.layer_norm(_as_tokens(x)), h, w


class EfficientSelfAttention(nn.Module):
    """Multi-head self-attention whose keys/values come from a map reduced by ``sr_ratio``.

    Tokens (B, N, C) -> (B, N, C). Uses ``F.scaled_dot_product_attention`` (scale 1/sqrt(head_dim)).
    """

    def __init__(self, dim: int, num_heads: int, sr_ratio: int, attn_drop: float = 0.0) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embedding dim {dim} is not divisible by {num_heads} heads")
        self.num_heads = num_heads
        self.sr_ratio = sr_ratio
        self.attn_drop = attn_drop
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)
        if sr_ratio > 1:
            self.sr = nn.Conv2d(dim, dim, kernel_size=sr_ratio, stride=sr_ratio)
            self.layer_norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: Tensor, height: int, width: int) -> Tensor:
        b, n, c = x.shape
        heads, head_dim = self.num_heads, c // self.num_heads
        if self.sr_ratio > 1:
            q = self.query(x)
            kv_in = self.layer_norm(_as_tokens(self.sr(_as_map(x, height, width))))
            kv = F.linear(
                kv_in,
                torch.cat([self.key.weight, self.value.weight]),
                torch.cat([self.key.bias, self.value.bias]),
            )
            k, v = kv.split(c, dim=-1)
        else:
            qkv = F.linear(
                x,
                torch.cat([self.query.weight, self.key.weight, self.value.weight]),
                torch.cat([self.query.bias, self.key.bias, self.value.bias]),
            )
            q, k, v = qkv.split(c, dim=-1)
        m = k.shape[1]
        q = q.view(b, n, heads, head_dim).transpose(1, 2)
        k = k.view(b, m, heads, head_dim).transpose(1, 2)
        v = v.view(b, m, heads, head_dim).transpose(1, 2)
        drop = self.attn_drop if self.training else 0.0
        out = F.scaled_dot_product_attention(q, k, v, dropout_p=drop)
        out = out.transpose(1, 2).reshape(b, n, c)
        return self.proj(out)


class MixFFN(nn.Module):
    """Mix-FFN: dense1 (C -> rC) -> 3x3 depthwise conv -> GELU (exact) -> dense2 (rC -> C)."""

    def __init__(self, dim: int, hidden_dim: int) -> None:
        super().__init__()
        self.dense1 = nn.Linear(dim, hidden_dim)
        self.dwconv = nn.Conv2d(hidden_dim, hidden_dim, 3, 1, 1, groups=hidden_dim)
        self.dense2 = nn.Linear(hidden_dim, dim)

    def forward(self, x: Tensor, height: int, width: int) -> Tensor:
        x = self.dense1(x)
        x = _as_tokens(self.dwconv(_as_map(x, height, width)))
        return self.dense2(F.gelu(x))


class MiTBlock(nn.Module):
    """Pre-norm transformer block: x + DropPath(Attn(LN(x))), then x + DropPath(MixFFN(LN(x)))."""

    def __init__(self, dim: int, num_heads: int, sr_ratio: int, mlp_ratio: int, drop_path: float) -> None:
        super().__init__()
        self.layer_norm_1 = nn.LayerNorm(dim)
        self.attention = EfficientSelfAttention(dim, num_heads, sr_ratio)
        self.layer_norm_2 = nn.LayerNorm(dim)
        self.mlp = MixFFN(dim, dim * mlp_ratio)
        self.drop_path = DropPath(drop_path)

    def forward(self, x: Tensor, height: int, width: int) -> Tensor:
        x = x + self.drop_path(self.attention(self.layer_norm_1(x), height, width))
        return x + self.drop_path(self.mlp(self.layer_norm_2(x), height, width))


class MiTStage(nn.Module):
    """OverlapPatchEmbeddings -> ``depth`` MiT blocks -> LayerNorm; returns a channels-last map."""

    def __init__(
        self,
        in_channels: int,
        dim: int,
        depth: int,
        num_heads: int,
        sr_ratio: int,
        patch_size: int,
        stride: int,
        mlp_ratio: int,
        drop_paths: list[float],
    ) -> None:
        super().__init__()
        self.patch_embed = OverlapPatchEmbeddings(in_channels, dim, patch_size, stride)
        self.blocks = nn.ModuleList(
            MiTBlock(dim, num_heads, sr_ratio, mlp_ratio, drop_paths[j]) for j in range(depth)
        )
        self.layer_norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor) -> Tensor:
        tokens, h, w = self.patch_embed(x)
        for block in self.blocks:
            tokens = block(tokens, h, w)
        return _as_map(self.layer_norm(tokens), h, w)


class MixVisionTransformer(nn.Module):
    """MiT encoder. ``forward_features(x)`` takes a *normalised* float image batch (B, 3, H, W)
    and returns ``[f4, f8, f16, f32]``: (B, C_i, ceil(H/s), ceil(W/s)) for s = 4, 8, 16, 32, with
    C_i = ``embed_dims`` (maps are channels-last in memory). H, W >= ``min_input_size``.
    """

    def __init__(self, cfg: MiTConfig, drop_path_rate: float = 0.1) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed_dims = tuple(cfg.embed_dims)
        self.min_input_size = mit_min_input_size(cfg)
        total = sum(cfg.depths)
        rates = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        stages = []
        start, in_ch = 0, cfg.in_channels
        for i in range(4):
            depth = cfg.depths[i]
            stages.append(
                MiTStage(
                    in_ch,
                    cfg.embed_dims[i],
                    depth,
                    cfg.num_heads[i],
                    cfg.sr_ratios[i],
                    cfg.patch_sizes[i],
                    cfg.strides[i],
                    cfg.mlp_ratio,
                    rates[start : start + depth],
                )
            )
            start += depth
            in_ch = cfg.embed_dims[i]
        self.stages = nn.ModuleList(stages)
        if initialising():  # not when every weight is loaded next (weight_init)
            self.apply(_init_weights)

    def forward_features(self, x: Tensor) -> list[Tensor]:
        """(B, 3, H, W) normalised float -> [f4, f8, f16, f32]."""
        h, w = x.shape[-2:]
        if min(h, w) < self.min_input_size:
            raise ValueError(
                f"MiT needs inputs of at least {self.min_input_size}x{self.min_input_size} pixels, "
                f"got {h}x{w}"
            )
        x = x.contiguous(memory_format=torch.channels_last)
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats

    def forward(self, x: Tensor) -> list[Tensor]:
        return self.forward_features(x)


def _init_weights(m: nn.Module) -> None:
    """SegFormer's initialisation: trunc-normal(0.02) linears, unit LayerNorms, He-normal convs."""
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
        nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / fan_out))
        if m.bias is not None:
            nn.init.zeros_(m.bias)
