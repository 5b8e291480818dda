"""One row of a dataset table (:class:`SplitScores`) and the rows a table has (:data:`SPLITS`).

Importable from ``fosp_core.metrics.accumulate`` (which makes them) and ``fosp_core.metrics`` too; they live
here, below both the accumulator and the table printer (``fosp_core.metrics.report``), so neither imports
the other back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fosp_core.metrics.buckets import BUCKETS

__all__ = ["SPLITS", "SplitScores"]

SPLITS: tuple[str, ...] = ("total", *BUCKETS)


@dataclass
class SplitScores:
    """One row of a table. Fractions in 0..1 (NaN where n = 0).

    f_beta, f1, precision, recall, miou: means over images (miou = mean per-image smoke IoU);
    mse: the protocol's M (smokeseg: mean squared error, sod: mean absolute error);
    miou_2class: pooled background/smoke mIoU; f_beta_max: sod only (max of the mean F curve);
    far_fp, crops_flagged: pooled false-alarm shares when the accumulator measures them.
    crops_flagged_scenes: with a scene map, the share of flagged smoke-free crops per scene, averaged
        over scenes, so a scene of many near-identical frames counts once.
    """

    n: int
    f_beta: float
    f1: float
    miou: float
    mse: float
    precision: float
    recall: float
    miou_2class: float
    f_beta_max: float | None = None
    far_fp: float | None = None
    crops_flagged: float | None = None
    crops_flagged_scenes: float | None = None

    def to_json(self) -> dict:
        """{f_beta, f1, miou, mse, precision, recall, n} plus the optional extras that are set."""
        out = {"f_beta": self.f_beta, "f1": self.f1, "miou": self.miou, "mse": self.mse,
               "precision": self.precision, "recall": self.recall, "n": self.n,
               "miou_2class": self.miou_2class}
        for key in ("f_beta_max", "far_fp", "crops_flagged", "crops_flagged_scenes"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in out.items()}
