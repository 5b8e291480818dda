"""Readouts of the analysis view: the values under the mouse (a status-bar label) and the scores in
the metrics box (this image, and every open labelled image with a result per size bucket).

:class:`ScoreReadout` also keeps the ground-truth masks it loaded (``label_for``) and scores each
(result, threshold) once, so moving between images or re-reading the box costs nothing; it keeps
them only while the result cache keeps their results (a label per cached result and the image
shown), so "Run on all" over thousands of labelled images holds no more than the cache does.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QLabel

from app.analysis.metrics_box import MetricsBox
from fosp_core.analysis.results import (
    ResultCache,
    ResultKey,
    Scores,
    bucket_means,
    image_scores,
    label_delta,
    load_label,
)
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.session import ImageSession

__all__ = ["HoverReadout", "ScoreReadout", "hover_label", "hover_text", "metrics_note"]


def hover_label() -> QLabel:
    """The status-bar label the hover text goes to."""
    label = QLabel()
    label.setMinimumWidth(300)
    label.setContentsMargins(10, 0, 10, 0)
    return label


def hover_text(arrays: dict[str, np.ndarray], x: int, y: int) -> str:
    """Probability, Focus value, foreground energies and separated background RGB at pixel (x, y)
    of the layer `arrays` (``"p 0.912   focus 0.301   fg 0.12/0.40   bg RGB 131 140 152"``); empty
    without a probability or outside it."""
    probability = arrays.get("probability")
    if probability is None or not (0 <= y < probability.shape[0] and 0 <= x < probability.shape[1]):
        return ""
    parts = [f"p {probability[y, x]:.3f}"]
    if "focus map" in arrays:
        parts.append(f"focus {arrays['focus map'][y, x]:.3f}")
    energy = [f"{arrays[n][y, x]:.2f}" for n in arrays if n.startswith("foreground energy")]
    if energy:
        parts.append("fg " + "/".join(energy))
    if "separated background" in arrays:
        r, g, b = (int(v) for v in arrays["separated background"][y, x])
        parts.append(f"bg RGB {r} {g} {b}")
    return "   ".join(parts)


class HoverReadout:
    """The status-bar label (`label`) with the values under the mouse. It remembers the pixel, so
    another image or τ under a still mouse reads anew (:meth:`refresh`)."""

    def __init__(self) -> None:
        self.label = hover_label()
        self._pixel: tuple[int, int] | None = None

    def show(self, arrays: dict[str, np.ndarray], pixel: tuple[int, int] | None) -> None:
        """The values of layer `arrays` at image `pixel` (x, y); None: the mouse left the image."""
        self._pixel = pixel
        self.refresh(arrays)

    def refresh(self, arrays: dict[str, np.ndarray]) -> None:
        """Read the pixel under the mouse again, in the layer `arrays` shown now."""
        self.label.setText("" if self._pixel is None else hover_text(arrays, *self._pixel))


def metrics_note(scored: int, all_ignore: int, threshold: float, tau: float, keep: str) -> str:
    """The line under the metrics table: how many labelled images with results it scores (those whose
    label is all ignore, 255, are left out of it, and counted apart) and at which settings."""
    regions = "" if keep == "plain" else f", regions {keep}"
    note = (f"{scored} labelled image{'s' if scored != 1 else ''} with results; "
            f"threshold {threshold:.2f}{regions}, τ {tau:.2f}") if scored else "no labelled results yet"
    if all_ignore:
        note += f" ({all_ignore} all-ignore label{'s' if all_ignore != 1 else ''} left out)"
    return note


class ScoreReadout:
    """Fills the metrics box from the result cache (see module doc)."""

    def __init__(self, box: MetricsBox, settings: AnalysisSettings, session: ImageSession,
                 cache: ResultCache) -> None:
        self.box = box
        self.settings = settings
        self.session = session
        self.cache = cache
        self._labels: OrderedDict[Path, np.ndarray | None] = OrderedDict()  # least recently used first
        self._memo: dict[tuple[ResultKey, float, str], tuple[Scores, float]] = {}

    def label_for(self, path: Path, shape: tuple[int, int]) -> np.ndarray | None:
        """The ground truth of image `path` when it has one of size `shape` (cached)."""
        path = Path(path).resolve()
        if path in self._labels:
            self._labels.move_to_end(path)
        else:
            self._labels[path] = load_label(path, shape)
            while len(self._labels) > self.cache.max_items + 1:  # every cached result's and the shown one
                self._labels.popitem(last=False)
        return self._labels[path]

    def _scores(self, key: ResultKey, prediction: Prediction, label: np.ndarray) -> tuple[Scores, float]:
        """(scores, δ) of one image at the current threshold and region rule, scored once per
        (result, threshold, rule)."""
        threshold, keep = self.settings.threshold, self.settings.keep
        memo_key = (key, threshold, keep)
        if memo_key not in self._memo:
            self._memo[memo_key] = (image_scores(prediction, label, threshold, keep), label_delta(label))
        return self._memo[memo_key]

    def update(self, model_id: str | None, prediction: Prediction | None, label: np.ndarray | None) -> None:
        """Score the shown `prediction` (against `label`) and every open image with a result of
        `model_id` (None: no model loaded) at the current threshold and τ."""
        threshold, tau, keep = self.settings.threshold, self.settings.tau, self.settings.keep
        records: list[tuple[Scores, float]] = []
        image: Scores | None = None
        if model_id is not None:
            current = self.session.current_path
            for path, pred in self.cache.for_model(model_id, tau).items():
                if self.session.index_of(path) >= 0:
                    truth = self.label_for(path, pred.shape)
                    if truth is not None:
                        record = self._scores(ResultKey.make(path, model_id, tau), pred, truth)
                        records.append(record)
                        if path == current and pred is prediction:
                            image = record[0]
        self._memo = {k: v for k, v in self._memo.items() if k[0] in self.cache}  # of results still cached
        if image is None and prediction is not None and label is not None:
            image = image_scores(prediction, label, threshold, keep)
        scored = [r for r in records if r[0].n]  # an all-ignore label has no pixel to score
        self.box.set_scores(image, bucket_means(scored) if scored else {},
                            metrics_note(len(scored), len(records) - len(scored), threshold, tau, keep))
