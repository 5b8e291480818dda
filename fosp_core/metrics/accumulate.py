"""Dataset tables: accumulate per-image scores by size bucket (total/small/medium/large)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from fosp_core.metrics.buckets import size_bucket
from fosp_core.metrics.false_alarm import crop_flag_counts, far_fp_counts
from fosp_core.metrics.report import format_table
from fosp_core.metrics.scores import (
    BETA2,
    N_THRESHOLDS,
    adaptive_binary,
    as_probability,
    per_image_scores,
    sod_image_scores,
)
from fosp_core.metrics.split_scores import SPLITS, SplitScores

__all__ = ["PROTOCOLS", "SPLITS", "SplitScores", "MetricAccumulator"]

PROTOCOLS = ("smokeseg", "sod")
_MEANED = ("precision", "recall", "f_beta", "f1", "iou")


@dataclass
class _Bucket:
    n: int = 0
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys((*_MEANED, "m"), 0.0))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(4, np.int64))  # tp fp fn tn
    f_curve: np.ndarray = field(default_factory=lambda: np.zeros(N_THRESHOLDS, np.float64))
    far: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))
    crops: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))
    scene_crops: dict[str, np.ndarray] = field(default_factory=dict)


class MetricAccumulator:
    """Feed (prob, label) pairs with `add`; `result()` gives {split: SplitScores}.

    protocol: "smokeseg" (threshold binarisation, M = MSE) or "sod" (adaptive threshold,
        max F over 256 thresholds, M = MAE); see `fosp_core.metrics.scores`.
    threshold: the smokeseg binarisation threshold (prob > threshold is smoke).
    false_alarms: also pool far-FP and smoke-free-crop shares (`fosp_core.metrics.false_alarm`)
        on the protocol's binary prediction.
    scene_of: {sample id: scene name} (e.g. `fosp_core.data.splits.read_scene_map()`); with it the
        rows also get `crops_flagged_scenes`. Ids not in the map are scenes of their own.

    An image with no scorable pixel (label all ignore, n_valid = 0) is left out of every mean and
    count: its id goes to `left_out`, its record is not kept in `images`.
    """

    def __init__(self, protocol: str = "smokeseg", threshold: float = 0.5, beta2: float = BETA2,
                 false_alarms: bool = False, crop_seed: int = 0,
                 scene_of: Mapping[str, str] | None = None) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {PROTOCOLS}, not {protocol!r}")
        self.protocol = protocol
        self.threshold = float(threshold)
        self.beta2 = beta2
        self.false_alarms = false_alarms
        self.crop_seed = crop_seed
        self.scene_of = dict(scene_of) if scene_of is not None else None
        self.images: list[dict] = []
        self.left_out: list[str] = []
        self._buckets = {s: _Bucket() for s in SPLITS}

    def add(self, prob: np.ndarray, label: np.ndarray, sample_id: str = "") -> dict:
        """Score one image (prob HxW float 0..1 / uint8 / bool; label uint8 HxW 0/1/255).

        Returns its per-image record: id, bucket, delta and the protocol's scores (n_valid 0: the
        image is left out, see the class doc).
        """
        prob = as_probability(prob)
        if self.protocol == "smokeseg":
            scores = per_image_scores(prob, label, self.threshold, self.beta2)
            m = scores["mse"]
            curve = None
        else:
            scores = sod_image_scores(prob, label, self.beta2)
            m = scores["mae"]
            curve = scores.pop("f_curve")
        bucket = size_bucket(scores["delta"])
        record = {"id": sample_id, "bucket": bucket, **scores}
        seed = self.crop_seed + len(self.images) + len(self.left_out)  # image k (in add order) draws with k
        if not scores["n_valid"]:
            self.left_out.append(sample_id)
            return record
        far = crops = None
        if self.false_alarms:
            label_arr = np.asarray(label)
            pred = prob > self.threshold if self.protocol == "smokeseg" else adaptive_binary(prob, scores["threshold"])
            far = far_fp_counts(pred, label_arr)
            crops = crop_flag_counts(pred, label_arr, seed=seed)
            record["far_fp"] = far[0] / far[1] if far[1] else None
            record["crops"] = crops
        for split in ("total", bucket):
            b = self._buckets[split]
            b.n += 1
            for key in _MEANED:
                b.sums[key] += scores[key]
            b.sums["m"] += m
            b.counts += (scores["tp"], scores["fp"], scores["fn"], scores["tn"])
            if curve is not None:
                b.f_curve += curve
            if far is not None and crops is not None:
                b.far += far
                b.crops += crops
                if self.scene_of is not None:
                    scene = self.scene_of.get(sample_id, sample_id)
                    b.scene_crops.setdefault(scene, np.zeros(2, np.int64))[:] += crops
        self.images.append(record)
        return record

    def table(self, title: str | None = None) -> str:
        """`format_table` of `result()` under this accumulator's protocol and threshold."""
        return format_table(self.result(), self.protocol, self.threshold, title)

    def result(self) -> dict[str, SplitScores]:
        """{"total"|"small"|"medium"|"large": SplitScores}."""
        return {split: self._row(self._buckets[split]) for split in SPLITS}

    def _row(self, b: _Bucket) -> SplitScores:
        nan = float("nan")
        if b.n == 0:
            return SplitScores(0, nan, nan, nan, nan, nan, nan, nan,
                               f_beta_max=nan if self.protocol == "sod" else None,
                               far_fp=nan if self.false_alarms else None,
                               crops_flagged=nan if self.false_alarms else None,
                               crops_flagged_scenes=nan if self._per_scene else None)
        tp, fp, fn, tn = (int(v) for v in b.counts)
        iou_smoke = tp / (tp + fp + fn) if tp + fp + fn else 1.0
        iou_bg = tn / (tn + fp + fn) if tn + fp + fn else 1.0
        mean = {k: v / b.n for k, v in b.sums.items()}
        return SplitScores(
            n=b.n, f_beta=mean["f_beta"], f1=mean["f1"], miou=mean["iou"], mse=mean["m"],
            precision=mean["precision"], recall=mean["recall"], miou_2class=(iou_smoke + iou_bg) / 2,
            f_beta_max=float((b.f_curve / b.n).max()) if self.protocol == "sod" else None,
            far_fp=(b.far[0] / b.far[1] if b.far[1] else nan) if self.false_alarms else None,
            crops_flagged=(b.crops[0] / b.crops[1] if b.crops[1] else nan) if self.false_alarms else None,
            crops_flagged_scenes=_scene_mean(b.scene_crops) if self._per_scene else None,
        )

    @property
    def _per_scene(self) -> bool:
        return self.false_alarms and self.scene_of is not None


def _scene_mean(scene_crops: dict[str, np.ndarray]) -> float:
    """Mean over scenes (with at least one crop) of the scene's flagged-crop share."""
    shares = [flagged / total for flagged, total in scene_crops.values() if total]
    return float(np.mean(shares)) if shares else float("nan")
