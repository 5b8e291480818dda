"""Periodic validation during training, with the metrics of `fosp_core.metrics`.

Each validation image is resized so its long side is `train.val_size` (0 = native), run through
the model in eval mode, and its smoke probability is upsampled back to the label's size, so the
scores are measured at label resolution. One `MetricAccumulator` (smokeseg protocol, threshold
0.5, with far-FP and smoke-free-crop rates) per validation source, and one of the sod protocol for
its threshold-free `f_beta_max` (the best threshold of the mean F_β curve): early in training, or
for a model whose probabilities have not yet crossed 0.5, it shows whether smoke is ranked above
background at all.

Returned metrics (flat dict of floats, NaN where a bucket is empty):

- `<source>/<split>/<score>` for split in total/small/medium/large and score in f_beta, f1,
  miou, mse, precision, recall, far_fp, crops_flagged, crops_flagged_scenes (NaN without a scene
  map: only the SMOKE5K scene-val split has one), f_beta_max;
- headline keys from the **first** source's total: `fbeta`, `f1`, `miou`, `mse`, `far_fp`,
  `crops_flagged`, `crops_flagged_scenes`, and `fbeta_small` / `fbeta_medium` / `fbeta_large`;
  NaN (said under the tables) when the first source gave no image to score, so that no other
  source's scores stand for it (in `best.json`, the card and the choice of the best checkpoint).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from fosp_core.train import model_io
from fosp_core.train.config import Config
from fosp_core.train.data import Source, iter_eval_samples, resize_for_eval

#: (headline key, score of the first source's split) - `fbeta_<split>` are added by size.
HEADLINE = (("fbeta", "f_beta"), ("f1", "f1"), ("miou", "miou"), ("mse", "mse"), ("far_fp", "far_fp"),
            ("crops_flagged", "crops_flagged"), ("crops_flagged_scenes", "crops_flagged_scenes"))
SCORES = ("f_beta", "f1", "miou", "mse", "precision", "recall", "far_fp", "crops_flagged",
          "crops_flagged_scenes")


@torch.inference_mode()
def predict_probability(model: nn.Module, image: np.ndarray, out_size: tuple[int, int], device: torch.device,
                        autocast: Callable[[], contextlib.AbstractContextManager]) -> np.ndarray:
    """Smoke probability float32 HxW (out_size) for one RGB uint8 HxWx3 image."""
    x = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).to(device).float()[None]
    with autocast():
        out = model(x)
    prob = model_io.probability(out, out_size)
    return prob[0, 0].float().cpu().numpy()


def validate(model: nn.Module, sources: Sequence[Source], cfg: Config, device: torch.device,
             autocast: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext,
             ) -> tuple[dict[str, float], str]:
    """Score `model` on every validation source; returns (metrics, printable tables)."""
    from fosp_core.metrics import MetricAccumulator, format_table, labels_from_files

    was_training = model.training
    model.eval()
    accs: dict[str, MetricAccumulator] = {}
    curves: dict[str, MetricAccumulator] = {}
    scene_maps = {src.name: src.scene_of for src in sources}
    unread: list[tuple[str, str]] = []  # (source, why) of the images that could not be read: said under its table
    try:
        for name, sample in iter_eval_samples(sources, cfg.train.val_max_images, left_out=unread):
            if name not in accs:
                accs[name] = MetricAccumulator("smokeseg", threshold=0.5, false_alarms=True,
                                               scene_of=scene_maps.get(name))
            acc = accs[name]
            curve = curves.setdefault(name, MetricAccumulator("sod"))
            h, w = sample.mask.shape  # type: ignore[union-attr]
            image = resize_for_eval(sample.image, cfg.train.val_size)
            prob = predict_probability(model, image, (h, w), device, autocast)
            with labels_from_files():  # read by read_mask: 0 and 255 only is a smoke-free label, no warning
                acc.add(prob, sample.mask, sample.id)  # type: ignore[arg-type]
                curve.add(prob, sample.mask, sample.id)  # type: ignore[arg-type]
    finally:
        model.train(was_training)
        model_io.freeze_inpainter(model)
    metrics: dict[str, float] = {}
    tables = []
    for name, acc in accs.items():
        result = acc.result()
        tables.append(format_table(result, "smokeseg", title=f"{name} (iteration table)")
                      + unread_line([why for source, why in unread if source == name]))
        for split, row in result.items():
            data = row.to_json()
            for score in SCORES:
                v = data.get(score)
                metrics[f"{name}/{split}/{score}"] = float("nan") if v is None else float(v)
        for split, row in curves[name].result().items():
            v = row.to_json().get("f_beta_max")
            metrics[f"{name}/{split}/f_beta_max"] = float("nan") if v is None else float(v)
    first = sources[0].name if sources else None
    headline = [(key, f"{first}/total/{score}") for key, score in HEADLINE]
    headline += [(f"fbeta_{split}", f"{first}/{split}/f_beta") for split in ("small", "medium", "large")]
    if first in accs:
        metrics.update({key: metrics[source_key] for key, source_key in headline})
    elif accs:  # not the next source's scores under the first's name: empty (NaN), and said
        metrics.update({key: float("nan") for key, _ in headline})
        tables.append(f"headline scores (fbeta, f1, miou, ...) left empty: the first validation source, {first}, "
                      f"gave no image to score; no best checkpoint is chosen on them")
    missed = [f"{name}: no image could be read{unread_line([w for s, w in unread if s == name])}"
              for name in dict.fromkeys(s for s, _ in unread) if name not in accs]
    return {k: (round(v, 6) if not math.isnan(v) else v) for k, v in metrics.items()}, "\n\n".join(tables + missed)


def unread_line(reasons: list[str], show: int = 3) -> str:
    """The line under a source's table naming the images it could not read ("" for none)."""
    if not reasons:
        return ""
    more = f"; {len(reasons) - show} more" if len(reasons) > show else ""
    return (f"\n{len(reasons)} image{'s' if len(reasons) != 1 else ''} left out, not readable: "
            + "; ".join(reasons[:show]) + more)
