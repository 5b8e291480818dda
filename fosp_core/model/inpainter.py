"""The default inpainter of the Separation module: a light convolutional U-Net.

The authors plug in MAT (a 60 M-parameter transformer GAN); no such weights exist here and the
product trains on 2 CPU cores, so the default keeps the authors' *interface* and channel plan with
cheap convolutions:

* input as the authors feed MAT: the known/hole mask and the masked image as channels,
  ``cat(known - 0.5, image * known)`` with the image scaled to [-1, 1] and ``known = 1 - hole``;
* output: feature maps at strides 32 / 16 / 8 / 4 with 512 / 512 / 512 / 256 channels (the decoder's
  states, widened by linear 1x1 *feature heads*) and an RGB completion of the whole image.

Structure: patch (kernel = stride) downsampling + depthwise-separable residual blocks (widths 32/64/128/256 at
strides 4/8/16/32), dilated context blocks and a global-context unit at stride 32, and a decoder that
upsamples through the wide feature maps (each decoder step reads ``lateral(head(d))``; both are linear
so they are applied as one fused 1x1 conv). Because the heads are linear, ``F^N - F^A`` equals
``head(d^N - d^A)`` without bias: ``feature_difference`` runs both Separation branches as one batch and
widens only the difference.

Any H x W works: the input (mask and masked image) is padded by replication to a multiple of 32 and
outputs are cropped back: stride-s maps to ceil(H/s) x ceil(W/s), the RGB completion to H x W.

Pre-training: ``forward(image, hole, need_features=False)`` gives the completion;
``masked_reconstruction_loss`` is an L1 loss weighted towards the hole.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from fosp_core.model.ops import conv1x1

__all__ = ["Inpainter", "InpainterConfig", "InpainterOutput", "masked_reconstruction_loss"]

FEATURE_STRIDES = (32, 16, 8, 4)
MAX_WIDTH = 4096  # channel widths a config may ask for (the paper's largest is 512)
MAX_BLOCKS = 16  # context dilations a config may ask for (the default has 3)


def is_width(value: Any) -> bool:
    """True for an integer (not a bool) in [1, MAX_WIDTH]."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_WIDTH


@dataclass
class InpainterConfig:
    """widths: hidden widths at strides 4, 8, 16, 32. feature_channels: output widths at strides
    32, 16, 8, 4 (the authors' MAT plan 512/512/512/256). context_dilations: dilated blocks at stride 32.
    """

    kind: str = "light-unet"
    widths: tuple[int, int, int, int] = (32, 64, 128, 256)
    feature_channels: tuple[int, int, int, int] = (512, 512, 512, 256)
    context_dilations: tuple[int, ...] = (1, 2, 4)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError on widths that are not positive integers up to MAX_WIDTH (a checkpoint's
        metadata builds the model before its weights are checked: no absurd allocation from it)."""
        for name, values, count in (
            ("widths", self.widths, 4), ("feature_channels", self.feature_channels, 4),
            ("context_dilations", self.context_dilations, None),
        ):
            seq = list(values) if isinstance(values, list | tuple) else None
            ok = seq is not None and (count is None or len(seq) == count) and len(seq) <= MAX_BLOCKS
            if not ok or not all(is_width(v) for v in seq or []):
                size = f"{count}" if count else f"at most {MAX_BLOCKS}"
                raise ValueError(f"inpainter {name} must be {size} integers in [1, {MAX_WIDTH}], got {values!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InpainterConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown inpainter config keys {unknown}; valid keys: {sorted(known)}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@dataclass
class InpainterOutput:
    """features: [F_1..F_4] at strides 32, 16, 8, 4, (B, C_i, ceil(H/s), ceil(W/s)) float, or None.
    rgb: raw completion, (B, 3, H, W) float RGB on the 0-255 scale (not clamped, not composited), or None.
    """

    features: list[Tensor] | None
    rgb: Tensor | None


class ResidualBlock(nn.Module):
    """x + pw2(GELU(pw1(dw3x3(x)))), dilated depthwise conv; pw2 starts at zero (block = identity)."""

    def __init__(self, channels: int, dilation: int = 1) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(channels, channels, 3, padding=dilation, dilation=dilation, groups=channels)
        self.pw1 = nn.Conv2d(channels, channels, 1)
        self.pw2 = nn.Conv2d(channels, channels, 1)
        nn.init.zeros_(self.pw2.weight)
        nn.init.zeros_(self.pw2.bias)

    def forward(self, x: Tensor) -> Tensor:
        y = F.gelu(conv1x1(self.dwconv(x), self.pw1.weight, self.pw1.bias))
        return x + conv1x1(y, self.pw2.weight, self.pw2.bias)


class Downsample(nn.Module):
    """Non-overlapping f x f patches (conv, kernel = stride = f) + GELU: (B, C, H, W) -> (B, C', H/f, W/f)."""

    def __init__(self, in_channels: int, out_channels: int, factor: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, out_channels, factor, stride=factor)

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(self.proj(x))


class GlobalContext(nn.Module):
    """x + fc2(GELU(fc1(mean_hw(x)))): image-wide colour/texture context for large holes."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(channels, channels, 1)
        self.fc2 = nn.Conv2d(channels, channels, 1)
        nn.init.zeros_(self.fc2.weight)
        nn.init.zeros_(self.fc2.bias)

    def forward(self, x: Tensor) -> Tensor:
        ctx = x.mean(dim=(2, 3), keepdim=True)
        return x + conv1x1(
            F.gelu(conv1x1(ctx, self.fc1.weight, self.fc1.bias)), self.fc2.weight, self.fc2.bias
        )


def _fused_1x1(x: Tensor, first: nn.Conv2d, second: nn.Conv2d) -> Tensor:
    """second(first(x)) for two 1x1 convs, computed as one conv (exact; gradients reach both)."""
    w1, w2 = first.weight[:, :, 0, 0], second.weight[:, :, 0, 0]
    bias = second.bias + w2 @ first.bias
    return conv1x1(x, w2 @ w1, bias)


class Inpainter(nn.Module):
    """Light inpainter. ``forward(image, hole)``: image (B, 3, H, W) float RGB 0-255, hole (B, 1, H, W)
    float or bool, 1 = missing. Returns ``InpainterOutput`` (see there for shapes).
    """

    feature_strides = FEATURE_STRIDES

    def __init__(self, config: InpainterConfig | None = None) -> None:
        super().__init__()
        cfg = config or InpainterConfig()
        if cfg.kind != "light-unet":
            raise ValueError(f"unknown inpainter kind {cfg.kind!r}; expected 'light-unet'")
        self.config = cfg
        self.name = f"inpainter-{cfg.kind}"
        self.feature_channels = tuple(cfg.feature_channels)
        w4, w8, w16, w32 = cfg.widths
        c32, c16, c8, c4 = cfg.feature_channels
        self.stem = Downsample(4, w4, 4)
        self.enc4 = ResidualBlock(w4)
        self.down8 = Downsample(w4, w8, 2)
        self.enc8 = ResidualBlock(w8)
        self.down16 = Downsample(w8, w16, 2)
        self.enc16 = ResidualBlock(w16)
        self.down32 = Downsample(w16, w32, 2)
        self.context = nn.Sequential(
            *(ResidualBlock(w32, d) for d in cfg.context_dilations), GlobalContext(w32)
        )
        self.feature_heads = nn.ModuleDict(
            {
                "s32": nn.Conv2d(w32, c32, 1),
                "s16": nn.Conv2d(w16, c16, 1),
                "s8": nn.Conv2d(w8, c8, 1),
                "s4": nn.Conv2d(w4, c4, 1),
            }
        )
        self.lateral16 = nn.Conv2d(c32, w16, 1)
        self.lateral8 = nn.Conv2d(c16, w8, 1)
        self.lateral4 = nn.Conv2d(c8, w4, 1)
        self.dec16 = ResidualBlock(w16)
        self.dec8 = ResidualBlock(w8)
        self.dec4 = ResidualBlock(w4)
        self.rgb_head = nn.Conv2d(c4, 3 * 16, 1)

    # ----------------------------------------------------------------------------------- inputs
    def prepare_input(self, image: Tensor, hole: Tensor) -> Tensor:
        """(B, 3, H, W) 0-255 RGB + (B, 1, H, W) hole -> (B, 4, Hp, Wp), padded to a multiple of 32.

        Channels: ``known - 0.5`` and ``image * known`` (image in [-1, 1]); padding replicates the border.
        """
        _validate(image, hole)
        h, w = image.shape[-2:]
        ph, pw = (-h) % 32, (-w) % 32
        dtype = self.stem.proj.weight.dtype
        known = 1.0 - hole.to(dtype)
        masked = image.to(dtype).mul(known).div_(127.5).sub_(known)  # image in [-1, 1], zero in the hole
        x = torch.cat([known.sub_(0.5), masked], dim=1)
        if ph or pw:  # replicate both channels: a hole touching the border extends into the padding
            x = F.pad(x, (0, pw, 0, ph), mode="replicate")
        return x.contiguous(memory_format=torch.channels_last)

    def prepare_pair(self, image: Tensor, hole: Tensor) -> Tensor:
        """Both Separation branches as one batch (2B, 4, Hp, Wp): ``prepare_input`` of (image, hole)
        followed by that of (image, no hole), written straight into one channels-last buffer.
        """
        _validate(image, hole)
        b, _, h, w = image.shape
        dtype = self.stem.proj.weight.dtype
        img = image.to(dtype).div(127.5).sub_(1.0)
        known = 1.0 - hole.to(dtype)
        x = img.new_empty((2 * b, h, w, 4)).permute(0, 3, 1, 2)  # channels-last (2B, 4, H, W)
        x[:b, :1] = known - 0.5
        x[:b, 1:].copy_(img).mul_(known)
        x[b:, :1] = 0.5
        x[b:, 1:] = img
        ph, pw = (-h) % 32, (-w) % 32
        if ph or pw:
            x = F.pad(x, (0, pw, 0, ph), mode="replicate")
        return x.contiguous(memory_format=torch.channels_last)

    # ------------------------------------------------------------------------------------ trunk
    def decoder_states(self, x: Tensor) -> list[Tensor]:
        """Prepared input (B, 4, Hp, Wp) -> narrow decoder states [d32, d16, d8, d4] (padded sizes)."""
        e4 = self.enc4(self.stem(x))
        e8 = self.enc8(self.down8(e4))
        e16 = self.enc16(self.down16(e8))
        d32 = self.context(self.down32(e16))
        heads = self.feature_heads
        d16 = self.dec16(_upsample2(_fused_1x1(d32, heads["s32"], self.lateral16)) + e16)
        d8 = self.dec8(_upsample2(_fused_1x1(d16, heads["s16"], self.lateral8)) + e8)
        d4 = self.dec4(_upsample2(_fused_1x1(d8, heads["s8"], self.lateral4)) + e4)
        return [d32, d16, d8, d4]

    def _rgb(self, d4: Tensor, size: tuple[int, int]) -> Tensor:
        head, out = self.feature_heads["s4"], self.rgb_head
        w1, w2 = head.weight[:, :, 0, 0], out.weight[:, :, 0, 0]
        y = F.linear(d4.permute(0, 2, 3, 1), w2 @ w1, out.bias + w2 @ head.bias)  # (B, h, w, 3*4*4)
        b, h, w, _ = y.shape
        # pixel shuffle by 4: channel c*16 + i*4 + j -> pixel (4y + i, 4x + j) of colour c
        rgb = y.view(b, h, w, 3, 4, 4).permute(0, 3, 1, 4, 2, 5).reshape(b, 3, 4 * h, 4 * w)
        return (rgb[..., : size[0], : size[1]] + 1.0) * 127.5

    def _features(self, states: list[Tensor], size: tuple[int, int], bias: bool = True) -> list[Tensor]:
        out = []
        for key, stride, d in zip(("s32", "s16", "s8", "s4"), FEATURE_STRIDES, states, strict=True):
            head = self.feature_heads[key]
            f = conv1x1(d, head.weight, head.bias if bias else None)
            out.append(f[..., : -(-size[0] // stride), : -(-size[1] // stride)])
        return out

    def forward(
        self, image: Tensor, hole: Tensor, need_features: bool = True, need_rgb: bool = True
    ) -> InpainterOutput:
        size = (image.shape[-2], image.shape[-1])
        states = self.decoder_states(self.prepare_input(image, hole))
        feats = self._features(states, size) if need_features else None
        rgb = self._rgb(states[3], size) if need_rgb else None
        return InpainterOutput(features=feats, rgb=rgb)

    def feature_difference(
        self, image: Tensor, hole: Tensor, need_rgb: bool = True
    ) -> tuple[list[Tensor], Tensor | None]:
        """Both Separation branches in one batch: branch N (hole removed) and branch A (nothing removed).

        Returns ([F^N_i - F^A_i for strides 32, 16, 8, 4], RGB completion of branch N or None).
        Equal to running ``forward`` twice and subtracting, at about half the cost.
        """
        b = image.shape[0]
        size = (image.shape[-2], image.shape[-1])
        x = self.prepare_pair(image, hole)
        states = self.decoder_states(x)
        diffs = self._features([s[:b] - s[b:] for s in states], size, bias=False)
        rgb = self._rgb(states[3][:b], size) if need_rgb else None
        return diffs, rgb


def _validate(image: Tensor, hole: Tensor) -> None:
    if image.ndim != 4 or image.shape[1] != 3:
        raise ValueError(f"inpainter expects images of shape (B, 3, H, W), got {tuple(image.shape)}")
    expected = (image.shape[0], 1, *image.shape[-2:])
    if tuple(hole.shape) != expected:
        raise ValueError(f"hole mask must be (B, 1, H, W) = {expected}, got {tuple(hole.shape)}")


def _upsample2(x: Tensor) -> Tensor:
    return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)


def masked_reconstruction_loss(rgb: Tensor, image: Tensor, hole: Tensor, hole_weight: float = 6.0) -> Tensor:
    """L1 loss for inpainter pre-training on the [-1, 1] scale: mean over known pixels plus
    ``hole_weight`` x mean over hole pixels. rgb/image: (B, 3, H, W) 0-255; hole: (B, 1, H, W), 1 = missing.
    """
    err = (rgb - image).abs().mean(dim=1, keepdim=True) / 127.5
    hole = hole.to(err.dtype)
    known = 1.0 - hole
    known_l1 = (err * known).sum() / known.sum().clamp(min=1.0)
    hole_l1 = (err * hole).sum() / hole.sum().clamp(min=1.0)
    return known_l1 + hole_weight * hole_l1
