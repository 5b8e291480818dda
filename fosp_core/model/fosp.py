"""The composed model: MiT backbone + Focus (BCG) + Separation (frozen inpainter) + Domain Fusion.

One class covers FoSp, SegFormer and every ablation row of Table 4; the config switches decide which
modules exist (absent modules are ``None``, so their parameters really are gone).

Staged inference for the app: ``encode(images)`` runs the backbone and the Focus module once;
``decode(images, encoded, tau=...)`` runs Separation + fusion, so changing tau re-runs only those.
``forward = decode(encode(...))``.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from fosp_core.model.config import ModelConfig
from fosp_core.model.focus import BidirectionalCascadeGenerator
from fosp_core.model.fusion import DomainFusion
from fosp_core.model.inpainter import Inpainter
from fosp_core.model.mit import MIT_CONFIGS, MixVisionTransformer
from fosp_core.model.ops import ConvBNReLU, resize
from fosp_core.model.outputs import Encoded, FoSpOutput
from fosp_core.model.segformer_head import SegFormerHead
from fosp_core.model.separation import SeparationModule
from fosp_core.model.weight_init import initialising

__all__ = ["IMAGENET_MEAN", "IMAGENET_STD", "FoSp", "count_parameters"]

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


class FoSp(nn.Module):
    """Early-smoke segmenter. ``model(images)``: images (B, 3, H, W) float RGB on the 0-255 scale
    (H, W >= 32; normalisation is inside); returns ``FoSpOutput`` with one smoke logit channel.

    Attributes: ``config`` (ModelConfig), ``name``, ``backbone`` (MiT), ``focus`` (BCG or None),
    ``inpainter`` and ``separation`` (or None), ``fusion`` (Domain Fusion, or None) / ``decode_head``
    (SegFormer all-MLP head, or None).
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        config.validate()
        self.config = config
        self.name = config.name
        widths = MIT_CONFIGS[config.backbone].embed_dims
        self.backbone = MixVisionTransformer(MIT_CONFIGS[config.backbone], config.drop_path_rate)
        self.focus = BidirectionalCascadeGenerator(widths) if config.focus_loss else None
        self.inpainter: nn.Module | None = None
        self.separation: SeparationModule | None = None
        if config.separation:
            self.inpainter = Inpainter(config.inpainter)
            self.separation = SeparationModule(self.inpainter.feature_channels, widths, config.beta, config.norm)
        self.fusion = (DomainFusion(widths, config.channels, config.dropout, config.norm)
                       if config.domain_fusion else None)
        self.decode_head = (
            None if config.domain_fusion else SegFormerHead(widths, config.channels, config.dropout)
        )
        self.reset_constants()
        if initialising():  # not when every weight is loaded next (weight_init)
            self._init_decoder()
            if config.init == "torch":
                self._init_torch_defaults()
        if self.inpainter is not None:
            self.freeze_inpainter()

    # ------------------------------------------------------------------------------ utilities
    def reset_constants(self, device: torch.device | str | None = None) -> None:
        """Set the buffers kept out of checkpoints (``pixel_mean``, ``pixel_std``: ImageNet's, (1, 3, 1, 1)
        float) on ``device`` (None: the default one); at build, and after a build on the meta device
        (`fosp_core.model.weight_init.set_constants`)."""
        for name, values in (("pixel_mean", IMAGENET_MEAN), ("pixel_std", IMAGENET_STD)):
            self.register_buffer(name, torch.tensor(values, device=device).view(1, 3, 1, 1), persistent=False)

    def _init_torch_defaults(self) -> None:
        """`config.init == "torch"`: every layer outside the inpainter back to PyTorch's own
        initialisation (`reset_parameters`), in place of the SegFormer scheme."""
        skip = {id(m) for m in self.inpainter.modules()} if self.inpainter is not None else set()
        for m in self.modules():
            if id(m) not in skip and m is not self and hasattr(m, "reset_parameters"):
                m.reset_parameters()

    def _init_decoder(self) -> None:
        for part in (self.focus, self.separation, self.fusion, self.decode_head):
            if part is None:
                continue
            for m in part.modules():
                if isinstance(m, ConvBNReLU):
                    nn.init.kaiming_normal_(m.conv.weight, mode="fan_out", nonlinearity="relu")
                elif isinstance(m, nn.BatchNorm2d | nn.GroupNorm):
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)
        for head in (self.fusion, self.decode_head):
            if head is not None:
                nn.init.normal_(head.classifier.weight, 0.0, 0.01)
                nn.init.zeros_(head.classifier.bias)
        if self.decode_head is not None:
            nn.init.kaiming_normal_(self.decode_head.linear_fuse.weight, mode="fan_out", nonlinearity="relu")

    def freeze_inpainter(self) -> None:
        """Make the inpainter frozen (no gradients, always in eval mode), as FoSp trains it."""
        if self.inpainter is not None:
            self.inpainter.requires_grad_(False)
            self.inpainter.eval()

    def train(self, mode: bool = True) -> FoSp:
        super().train(mode)
        if self.inpainter is not None and not any(p.requires_grad for p in self.inpainter.parameters()):
            self.inpainter.eval()
        return self

    def check_images(self, images: Tensor) -> None:
        """Raise TypeError/ValueError naming what is expected: float (B, 3, H, W) RGB 0-255."""
        if not isinstance(images, Tensor):
            raise TypeError(f"{self.name}: expected a torch.Tensor of images, got {type(images).__name__}")
        if images.ndim != 4 or images.shape[1] != 3:
            raise ValueError(
                f"{self.name}: expected images of shape (B, 3, H, W) (RGB, channels first), "
                f"got {tuple(images.shape)}"
            )
        if not images.is_floating_point():
            raise TypeError(
                f"{self.name}: expected floating-point images (float32 RGB on the 0-255 scale), "
                f"got dtype {images.dtype}; use images.float()"
            )
        min_size = self.backbone.min_input_size
        if min(images.shape[-2:]) < min_size:
            raise ValueError(
                f"{self.name}: images must be at least {min_size}x{min_size}, got {tuple(images.shape[-2:])}"
            )

    # ------------------------------------------------------------------------------ inference
    def encode(self, images: Tensor) -> Encoded:
        """Backbone + Focus: everything that does not depend on tau."""
        self.check_images(images)
        x = (images.to(self.pixel_mean.dtype) - self.pixel_mean) / self.pixel_std
        feats = self.backbone.forward_features(x)
        focus = self.focus(feats) if self.focus is not None else None
        return Encoded(features=feats, focus=focus, input_size=(images.shape[-2], images.shape[-1]))

    def decode(
        self,
        images: Tensor,
        encoded: Encoded,
        tau: float | None = None,
        need_background: bool | None = None,
        need_side: bool = True,
    ) -> FoSpOutput:
        """Separation + decoder on ``encoded`` (from ``encode(images)``).

        tau: hole threshold (default ``config.tau``). need_background: compute the RGB completion
        (default: in eval mode only; it is never trained on). need_side: keep the BCG side logits in the
        output (they are computed anyway; the loss needs them).
        """
        cfg = self.config
        if (
            tuple(images.shape[-2:]) != tuple(encoded.input_size)
            or images.shape[0] != encoded.features[0].shape[0]
        ):
            raise ValueError(
                f"{self.name}: decode() got images {tuple(images.shape)} but the encoding is of "
                f"{encoded.features[0].shape[0]} image(s) of {tuple(encoded.input_size)}"
            )
        tau = cfg.tau if tau is None else float(tau)
        feats, focus = encoded.features, encoded.focus
        origin = feats
        if cfg.focus:
            assert focus is not None
            fm = focus.focus_map
            origin = [f * (resize(fm, f.shape[-2:]) + 1.0) for f in feats]
        out = FoSpOutput(logits=feats[0].new_empty(0), input_size=encoded.input_size)
        if focus is not None:
            out.focus_logits, out.focus_map = focus.focus_logits, focus.focus_map
            out.side_logits = dict(focus.side_logits) if need_side else {}
        if self.separation is not None and self.inpainter is not None and focus is not None:
            if need_background is None:
                need_background = not self.training
            hole = (resize(focus.focus_map.detach(), encoded.input_size) > tau).to(feats[0].dtype)
            images_in = images.to(feats[0].dtype)
            sizes = [tuple(f.shape[-2:]) for f in feats]
            sep = self.separation(self.inpainter, images_in, hole, sizes, need_background=need_background)
            out.hole, out.foreground, out.background, out.tau = hole, sep.foreground, sep.background, tau
            if self.fusion is not None:
                out.logits = self.fusion(origin, sep.registered)
            else:
                assert self.decode_head is not None
                out.logits = self.decode_head([o + r for o, r in zip(origin, sep.registered, strict=True)])
        else:
            assert self.decode_head is not None
            out.logits = self.decode_head(origin)
        return out

    def forward(
        self,
        images: Tensor,
        tau: float | None = None,
        need_background: bool | None = None,
        need_side: bool = True,
    ) -> FoSpOutput:
        """images (B, 3, H, W) float RGB 0-255 -> FoSpOutput (see ``decode`` for the options)."""
        return self.decode(
            images, self.encode(images), tau=tau, need_background=need_background, need_side=need_side
        )


def count_parameters(model: nn.Module, include_inpainter: bool = False) -> int:
    """Number of parameters, by default without the (frozen, separately pre-trained) inpainter."""
    skip = set()
    inpainter = getattr(model, "inpainter", None)
    if inpainter is not None and not include_inpainter:
        skip = {id(p) for p in inpainter.parameters()}
    return sum(p.numel() for p in model.parameters() if id(p) not in skip)
