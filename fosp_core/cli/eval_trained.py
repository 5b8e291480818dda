"""`fosp eval --checkpoint`: which evaluated images the checkpoint was trained on, and the scores
of the rest (`fosp_core.trained_on`).

A checkpoint whose metadata records its training images (a run's best.safetensors, a `fosp
train-export` file) is asked about every evaluated image. When some were trained on, `fosp eval`
says how many, and scores the held-out ones separately (their means over images, as the table's
total row): scores over images a model was trained on flatter it. A checkpoint that records
nothing (the fp16 default weights exported before fingerprints) is unknown on every image, never
"held out": nothing is said, and the per-image CSV's `trained_on` cells stay empty.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from fosp_core.metrics.evaluate import EvalResult
from fosp_core.trained_on import TrainedImages, checkpoint_trained_images, count_trained, trained_on

__all__ = ["Verdicts", "held_out_line", "image_verdicts"]

#: {image id: True (trained on), False (held out), None (unknown)}.
Verdicts = dict[str, bool | None]


def image_verdicts(checkpoint: Path | None, dataset: Any) -> tuple[Verdicts, TrainedImages | None]:
    """Each image of `dataset` (a `fosp_core.data.datasets.Dataset`) by id: was `checkpoint` trained
    on it; with the checkpoint's fingerprint (None: it records none, or --predictions)."""
    known = None if checkpoint is None else checkpoint_trained_images(checkpoint)
    entries = dataset.entries
    if known is None:
        return dict.fromkeys((e.id for e in entries), None), None
    return dict(zip((e.id for e in entries), trained_on(known, [e.image for e in entries]), strict=True)), known


def _mean(records: list[dict], key: str) -> str:
    values = [float(r[key]) for r in records if key in r and not math.isnan(float(r[key]))]
    return "-" if not values else f"{sum(values) / len(values):.4f}" if key in ("mse", "mae") \
        else f"{100 * sum(values) / len(values):.2f}"


def held_out_line(what: str, result: EvalResult, verdicts: Verdicts, known: TrainedImages | None) -> str | None:
    """"checkpoint X was trained on 3 of the 10 images scored; held out (7): F_beta 61.20, mIoU
    48.10, M 0.0123" or None when it was trained on none of them (or records nothing)."""
    records = result.images
    count = count_trained(verdicts.get(r["id"]) for r in records)
    if known is None or count.trained == 0:
        return None
    held = [r for r in records if verdicts.get(r["id"]) is False]
    m_key = "mse" if result.protocol == "smokeseg" else "mae"
    scores = (f"F_beta {_mean(held, 'f_beta')}, mIoU {_mean(held, 'iou')}, M {_mean(held, m_key)}" if held
              else "no image left to score")
    notes = []
    if count.unknown:
        notes.append(f"{count.unknown} unknown (not counted)")
    if known.start_unrecorded:
        notes.append("its starting weights' training images are not recorded")
    note = f" ({'; '.join(notes)})" if notes else ""
    return (f"{what} was trained on {count.trained} of the {len(records)} images scored: their scores flatter "
            f"it; held out ({len(held)}): {scores}{note}")
