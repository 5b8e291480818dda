"""What the generic `Trainer` trains: a task builds the model, computes the loss of a micro-batch,
validates, and writes the best weights.

- `SegmentationTask`: FoSp / SegFormer smoke segmentation with `fosp_loss` (the default);
- `fosp_core.train.inpainter.InpainterTask`: masked-reconstruction pre-training of the inpainter.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import torch
from torch import nn

from fosp_core.train import model_io
from fosp_core.train.config import Config
from fosp_core.train.data import Source

Autocast = Callable[[], contextlib.AbstractContextManager]


class Task(Protocol):
    """The interface `Trainer` drives (see the module doc)."""

    kind: str

    def build(self, cfg: Config, log: Callable[[str], None]) -> nn.Module:
        """The model with its starting weights, on the CPU."""
        ...

    def prepare_train(self, model: nn.Module) -> None:
        """Put the model in training mode (frozen parts stay in eval mode)."""
        ...

    def loss(self, model: nn.Module, images: torch.Tensor, masks: torch.Tensor,
             key: tuple[int, int, int]) -> tuple[torch.Tensor, dict[str, float]]:
        """Loss of one micro-batch: images float Bx3xHxW RGB 0-255, masks int64 BxHxW 0/1/255.
        key = (iteration, rank, micro-batch index), for any per-step randomness."""
        ...

    def validate(self, model: nn.Module, sources: Sequence[Source], cfg: Config, device: torch.device,
                 autocast: Autocast) -> tuple[dict[str, float], str]:
        """(flat metrics, printable table) on the validation sources."""
        ...

    def save_weights(self, model: nn.Module, path: Path, metadata: dict[str, Any]) -> None:
        """Write the model's weights (best checkpoint) atomically."""
        ...


class SegmentationTask:
    """FoSp / SegFormer training: `fosp_loss` (Eq. 8-9), validation with `fosp_core.metrics`."""

    kind = "segmentation"

    def build(self, cfg: Config, log: Callable[[str], None]) -> nn.Module:
        return model_io.build(cfg, log=log)

    def prepare_train(self, model: nn.Module) -> None:
        model.train()
        model_io.freeze_inpainter(model)

    def loss(self, model: nn.Module, images: torch.Tensor, masks: torch.Tensor,
             key: tuple[int, int, int]) -> tuple[torch.Tensor, dict[str, float]]:
        return model_io.loss(model(images), masks, getattr(model_io.unwrap(model), "config", None))

    def validate(self, model: nn.Module, sources: Sequence[Source], cfg: Config, device: torch.device,
                 autocast: Autocast) -> tuple[dict[str, float], str]:
        from fosp_core.train.evaluate import validate

        return validate(model, sources, cfg, device, autocast)

    def save_weights(self, model: nn.Module, path: Path, metadata: dict[str, Any]) -> None:
        model_io.save_weights(model, path, metadata)
