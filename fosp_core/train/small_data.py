"""Warnings for a run on a handful of images (a fine-tune on a small export), said when it starts.

The README's command-line fine-tune uses the small-cpu recipe, made for thousands of images: its
batch of 8 is more than an export of 6 photos holds for training (every step then repeats images,
at the cost of the whole batch), and the export's default 0.8/0.1/0.1 split leaves one or two val
images to pick the kept weights with. The app's Fine-tune dialog says the second before a run
(`app.training.messages.dataset_note`); this says both to the command line, and validation images
that are also training images (`trained_val_notes`: a split "" of a dataset beside its "val").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

from fosp_core.train.config_schema import TrainConfig

__all__ = ["FEW_VAL_IMAGES", "small_data_notes", "trained_val_notes"]

#: how `sources` names a synthetic source (early smoke composited over the photos of its path)
SYNTHETIC_PREFIX = "synthetic("

#: Below this many validation images the val F_β that picks the kept weights is mostly chance (one
#: image more or less moves it by tens of points); the app's dialog uses the same count.
FEW_VAL_IMAGES = 5


class _Sized(Protocol):
    name: str
    size: int


def small_data_notes(tc: TrainConfig, train: Sequence[_Sized], val: Sequence[_Sized], world_size: int = 1) -> list[str]:
    """The warnings for `tc`'s batch against the training images and for too few validation images
    ("warning: ..." lines; none when the data are big enough)."""
    notes = []
    n_train = sum(s.size for s in train)
    per_step = tc.batch_size * tc.grad_accum * world_size
    if 0 < n_train < per_step:
        fits = max(1, n_train // world_size)
        factors = [f"train.batch_size = {tc.batch_size}"] + [f"train.grad_accum = {tc.grad_accum}"] * (
            tc.grad_accum > 1) + [f"{world_size} processes"] * (world_size > 1)
        batch = factors[0] if len(factors) == 1 else f"{per_step} images a step ({' x '.join(factors)})"
        notes.append(f"warning: {batch} is more than the {n_train} training images: "
                     f"every step repeats images at the whole batch's cost; for a small dataset use a batch of "
                     f"{fits} or less (train.batch_size={fits}"
                     + (" train.grad_accum=1)" if tc.grad_accum > 1 else ")"))
    n_val = sum(min(s.size, tc.val_max_images) if tc.val_max_images else s.size for s in val)
    if val and n_val < FEW_VAL_IMAGES:
        names = ", ".join(s.name for s in val)
        notes.append(f"warning: {n_val} validation image{'' if n_val == 1 else 's'} ({names}): the score that "
                     f"picks best.safetensors rests on {'it' if n_val == 1 else 'them'} and may say little; "
                     f"export with at least {FEW_VAL_IMAGES} val images (a larger val share) for a fairer measure")
    notes.extend(trained_val_notes(tc, train, val))
    return notes


def trained_val_notes(tc: TrainConfig, train: Sequence[object], val: Sequence[object]) -> list[str]:
    """A warning for each validation source whose validated images (its first `train.val_max_images`)
    are also images of a fixed training source (one with items; a synthetic one, named
    `SYNTHETIC_PREFIX`..., is not: the smoke it draws over the photos is not their labels): e.g. `data.train` with split "" (every labelled image) beside `data.val` with
    split "val" of the same dataset. Sources that do not list their files say nothing."""
    trained: dict[str, str] = {}
    for source in train:
        paths = getattr(source, "image_paths", None)
        synthetic = str(getattr(source, "name", "")).startswith(SYNTHETIC_PREFIX)  # smoke drawn over the photos
        if paths is not None and getattr(source, "get_fn", None) is not None and not synthetic:
            trained.update((os.path.normpath(os.fspath(p)), str(getattr(source, "name", ""))) for p in paths)
    notes = []
    for source in val if trained else ():
        paths = getattr(source, "image_paths", None)
        if paths is None:
            continue
        shown = list(paths)[:tc.val_max_images] if tc.val_max_images else list(paths)
        names = [trained[key] for p in shown if (key := os.path.normpath(os.fspath(p))) in trained]
        if names:
            notes.append(f"warning: {len(names)} of the {len(shown)} validation images of {getattr(source, 'name', '')} "
                         f"are also training images ({', '.join(dict.fromkeys(names))}): their scores, and the "
                         "best.safetensors they pick, measure how the run fits what it trained on; give data.val and "
                         "data.train splits that do not share images (e.g. split = \"train\" and split = \"val\")")
    return notes
