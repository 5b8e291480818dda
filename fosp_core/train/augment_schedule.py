"""The training augmentation of a config, and progressive resizing (`data.crop_schedule`).

`build_augment` makes the paper's pipeline (`fosp_core.data.augment.TrainAugment`) at `data.crop`
or at another crop size, view or unsupervised context; `ScheduledAugment` maps a global sample
index to the augmentation of its iteration's schedule entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from fosp_core.train.config import Config

__all__ = ["Augment", "ScheduledAugment", "build_augment", "crop_at", "schedule_at"]


Augment = Callable[[np.ndarray, np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def build_augment(cfg: Config, crop: int = 0, scale: int = 0, context: int = 0) -> Augment:
    """The training augmentation of the config: `fosp_core.data.augment.TrainAugment` (the paper's
    resize / crop with cat_max_ratio / flip / photometric pipeline; `data.scale` 0 = the image's own
    size; `data.smoke_crop_prob` > 0 centres that share of the crops on labelled smoke).

    crop: another crop size than `data.crop` (progressive resizing): the rescale is multiplied by
    crop / `data.crop`, so the crop shows the same view at another resolution.
    scale: with `crop`, the long side before the random ratio instead (the same resolution as
    `data.scale`, another view).
    context: pixels at each side of the crop left out of the loss (seen, not supervised)."""
    from fosp_core.data.augment import TrainAugment

    d = cfg.data
    crop = crop or d.crop
    lo, hi = d.ratio_range
    f = crop / d.crop
    if scale:  # another view at the resolution of `scale`
        long_side, ratio = scale, (lo, hi)
    else:  # the same view at another resolution
        long_side, ratio = (round(d.scale * f), (lo, hi)) if d.scale else (None, (lo * f, hi * f))
    return TrainAugment(crop_size=crop, ratio_range=ratio, cat_max_ratio=d.cat_max_ratio,
                        scale=long_side, smoke_crop_prob=d.smoke_crop_prob, context=context)


def _schedule_key(entry: Sequence[int]) -> tuple[int, int, int]:
    """(crop, scale, context) of a `data.crop_schedule` entry; 0 = not given."""
    return entry[1], entry[2] if len(entry) >= 3 else 0, entry[3] if len(entry) >= 4 else 0


def schedule_at(cfg: Config, iteration: int) -> tuple[int, int, int]:
    """(crop, scale, context) at `iteration` under `data.crop_schedule`; scale 0 = the crop's own
    view (the rescale of `data.crop`, times crop / `data.crop`); context 0 = the whole crop supervised."""
    at: tuple[int, int, int] = (cfg.data.crop, 0, 0)
    for entry in sorted(cfg.data.crop_schedule):
        if iteration >= entry[0]:
            at = _schedule_key(entry)
    return at


def crop_at(cfg: Config, iteration: int) -> int:
    """The training crop size at `iteration` under `data.crop_schedule` (else `data.crop`)."""
    return schedule_at(cfg, iteration)[0]


class ScheduledAugment:
    """Progressive resizing: global sample index -> the augmentation of its iteration's crop size
    (and view, for entries that name a scale, and unsupervised context, for entries that name one).

    samples_per_iteration: batch x grad_accum x processes (how `StepBatchSampler` numbers samples).
    """

    def __init__(self, cfg: Config, samples_per_iteration: int):
        self.cfg = cfg
        self.per_iteration = int(samples_per_iteration)
        keys = {(cfg.data.crop, 0, 0), *(_schedule_key(e) for e in cfg.data.crop_schedule)}
        self.augments = {key: build_augment(cfg, *key) for key in keys}

    def __call__(self, index: int) -> Augment:
        return self.augments[schedule_at(self.cfg, index // self.per_iteration)]
