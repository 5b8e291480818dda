"""Masked-image modelling around a MiT encoder (SimMIM-style), for self-supervised pre-training.

Why this shape: MiT embeds patches with *overlapping* strided convolutions, so there is no token to
drop (MAE) or swap for a mask token after embedding. Masking is done on the input instead: the
pixels of the masked blocks are replaced by a learnable mask colour (in normalised units), the whole
image goes through the encoder, and a deliberately light decoder - one 1x1 convolution on the
stride-32 feature to ``3 * 32 * 32`` channels, then a pixel shuffle back to full resolution -
reconstructs the normalised pixels. The loss is the L1 error on the masked pixels only, so the
encoder has to infer what is hidden from the context around it.

Only ``backbone`` is kept after pre-training (``backbone.state_dict()`` has the native MiT keys that
``fosp_core.checkpoint.load_pretrained_backbone`` reads); the mask colour and the decoder are
thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from fosp_core.model.fosp import IMAGENET_MEAN, IMAGENET_STD
from fosp_core.model.mit import MIT_CONFIGS, MixVisionTransformer

__all__ = ["MIMOutput", "MaskedImageModel", "masked_l1"]


@dataclass
class MIMOutput:
    """What one forward pass gives.

    reconstruction: (B, 3, H, W) float, the predicted normalised pixels (every pixel, masked or not).
    target: (B, 3, H, W) float, the normalised input before masking.
    loss: scalar, mean L1 over the masked pixels and the three channels.
    """

    reconstruction: Tensor
    target: Tensor
    loss: Tensor


def masked_l1(reconstruction: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Mean absolute error over masked pixels: (B, 3, H, W) x2 and a (B, 1, H, W) 0/1 mask -> scalar.

    Pixels outside the mask do not count at all (SimMIM); an all-zero mask gives 0, not NaN.
    """
    err = (reconstruction.float() - target.float()).abs() * mask
    return err.sum() / (mask.sum() * reconstruction.shape[1]).clamp(min=1.0)


class MaskedImageModel(nn.Module):
    """MiT encoder + mask colour + stride-32 pixel-shuffle decoder (see the module doc).

    ``model(images, mask)``: images (B, 3, H, W) float RGB on the 0-255 scale, H and W multiples of 32
    and at least the backbone's minimum size; mask (B, 1, H, W) float, 1 where a pixel is hidden.
    Returns `MIMOutput`. Attributes: ``backbone`` (MixVisionTransformer), ``backbone_name``,
    ``mask_colour`` (1, 3, 1, 1) learnable, ``decoder``.
    """

    def __init__(self, backbone: str = "mit_b0", drop_path_rate: float = 0.1) -> None:
        super().__init__()
        if backbone not in MIT_CONFIGS:
            raise ValueError(f"unknown backbone {backbone!r}; expected one of {sorted(MIT_CONFIGS)}")
        cfg = MIT_CONFIGS[backbone]
        self.backbone_name = backbone
        self.backbone = MixVisionTransformer(cfg, drop_path_rate)
        self.stride = 1
        for s in cfg.strides:
            self.stride *= s
        self.mask_colour = nn.Parameter(torch.zeros(1, 3, 1, 1))
        self.decoder = nn.Sequential(
            nn.Conv2d(cfg.embed_dims[-1], 3 * self.stride**2, kernel_size=1),
            nn.PixelShuffle(self.stride),
        )
        nn.init.trunc_normal_(self.mask_colour, std=0.02)
        self.register_buffer("pixel_mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("pixel_std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def normalise(self, images: Tensor) -> Tensor:
        """(B, 3, H, W) RGB 0-255 -> ImageNet-normalised float32 (the encoder's input scale)."""
        return (images.float() - self.pixel_mean) / self.pixel_std

    def forward(self, images: Tensor, mask: Tensor) -> MIMOutput:
        h, w = images.shape[-2:]
        if h % self.stride or w % self.stride:
            raise ValueError(f"masked-image modelling needs sizes that are multiples of {self.stride}, got {h}x{w}")
        if mask.shape[0] != images.shape[0] or mask.shape[-2:] != images.shape[-2:]:
            raise ValueError(f"mask {tuple(mask.shape)} does not match images {tuple(images.shape)}")
        target = self.normalise(images)
        mask = mask.to(target.dtype)
        masked = target * (1.0 - mask) + self.mask_colour * mask
        f32 = self.backbone.forward_features(masked)[-1]
        reconstruction = self.decoder(f32)
        return MIMOutput(reconstruction, target, masked_l1(reconstruction, target, mask))
