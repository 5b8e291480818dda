"""The mining pass of hard examples: a checkpoint run over a training source as validation runs it.

The file format and what one prediction yields are in `fosp_core.train.hard_negatives`; this module
is the loop over a source's images (it needs the validation path, which the training data module,
a reader of the files, must not import).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import torch
from torch import nn

from fosp_core.metrics.false_alarm import MARGIN
from fosp_core.train.data import Source, resize_for_eval
from fosp_core.train.evaluate import predict_probability
from fosp_core.train.hard_negatives import FALSE_ALARMS, MiningResult, mine_image

__all__ = ["mine_source"]


def mine_source(model: nn.Module, source: Source, device: torch.device, val_size: int = 512,
                threshold: float = 0.5, margin: int = MARGIN, max_points: int = 16, kind: str = FALSE_ALARMS,
                progress: Callable[[int, int], None] | None = None) -> MiningResult:
    """Mine one opened training `Source` (`fosp_core.train.data.Source` with fixed items) for
    mistakes of `kind` (`fosp_core.train.hard_negatives.KINDS`).

    Images that fail to decode are skipped (counted out of `scanned`). `progress(done, total)` is
    called after each image, skipped ones included. Runs in fp32, as validation does on a CPU."""
    result = MiningResult(kind=kind)
    was_training = model.training
    model.eval()
    try:
        for i in range(source.size):
            try:
                sample = source[i]
            except Exception:  # noqa: BLE001 - one unreadable image does not end a mining pass
                sample = None
            if sample is not None and sample.mask is not None:
                h, w = sample.mask.shape
                prob = predict_probability(model, resize_for_eval(sample.image, val_size), (h, w), device,
                                           contextlib.nullcontext)
                mined = mine_image(prob, sample.mask, seed=i, threshold=threshold, margin=margin,
                                   max_points=max_points, kind=kind)
                result.scanned += 1
                result.pool_pixels += mined.pool
                result.hit_pixels += mined.hits
                if mined.points:
                    result.images[sample.id] = mined
            if progress is not None:
                progress(i + 1, source.size)
    finally:
        model.train(was_training)
    return result
