"""Evaluate predictions against a labelled dataset: `evaluate(dataset, source, ...)`.

`source` is where probabilities come from:

- a folder (str/Path) or `PredictionFolder` of PNGs named ``<id>.png``: 8-bit probability
  (0..255 -> /255), 16-bit probability (/65535), binary 0/1 or 0/255 masks, or a SmokeSeg palette
  mask (index 1 = smoke). A grayscale file whose values are only 0 and 1 is read as a 0/1 mask,
  unless it says it holds a probability (`fosp_core.metrics.prob_png`: `fosp predict --save prob`'s
  files do; a confident "no smoke" map is all 0s and 1s at 8 bits);
- a callable ``probability(rgb) -> prob``: RGB uint8 HxWx3 in, float32 HxW in [0, 1] out
  (e.g. `fosp_core.infer.probability_fn(checkpoint)`); the dataset images are decoded for it.

Labels are read without decoding the images when predictions come from files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.metrics.accumulate import MetricAccumulator, SplitScores
from fosp_core.metrics.decision import apply_rule
from fosp_core.metrics.prob_png import is_probability_png
from fosp_core.metrics.scores import as_probability, labels_from_files

__all__ = ["PredictionError", "PredictionFolder", "EvalResult", "read_prediction", "evaluate"]

ProbabilityFn = Callable[[np.ndarray], np.ndarray]

#: Why a sample with an all-ignore label is left out (its `skipped` reason).
UNSCORABLE = "no pixel to score: the label is all ignore (255)"


class PredictionError(Exception):
    """A prediction is missing, unreadable or does not fit its label; carries path and reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def read_prediction(path: str | os.PathLike) -> np.ndarray:
    """A prediction PNG as float32 HxW probability in [0, 1] (rules in the module doc)."""
    path = Path(path)
    try:
        with Image.open(path) as im:
            im.load()
            mode = im.mode
            marked = is_probability_png(im.info)
            arr = np.asarray(im)
    except FileNotFoundError:
        raise PredictionError(path, "no prediction file") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PredictionError(path, f"cannot decode: {exc}") from exc
    if mode == "P":
        return (arr == 1).astype(np.float32)
    if arr.ndim == 3:
        if arr.shape[2] in (3, 4) and np.array_equal(arr[..., 0], arr[..., 1]) and np.array_equal(arr[..., 1], arr[..., 2]):
            arr = arr[..., 0]
        elif arr.shape[2] == 2:  # LA
            arr = arr[..., 0]
        else:
            raise PredictionError(path, f"colour prediction ({mode}); expected a grayscale probability or mask")
    if mode == "1" or arr.dtype == bool:
        return arr.astype(np.float32)
    top = int(arr.max()) if arr.size else 0
    if top <= 1 and not marked:
        return arr.astype(np.float32)
    if arr.dtype == np.uint8:
        return arr.astype(np.float32) * np.float32(1 / 255)
    if arr.dtype.kind in "iu" and top <= 65535:
        return arr.astype(np.float32) * np.float32(1 / 65535)
    raise PredictionError(path, f"unsupported prediction values (mode {mode}, max {top})")


class PredictionFolder:
    """Prediction PNGs named by sample id: ``folder/<id>.png``."""

    def __init__(self, folder: str | os.PathLike, suffix: str = ".png") -> None:
        self.folder = Path(folder)
        if self.folder.is_file():  # a prediction PNG or a list named where its folder goes
            raise PredictionError(self.folder, "is a file, not a folder: name the folder holding the "
                                               "<id>.png predictions")
        if not self.folder.is_dir():
            raise PredictionError(self.folder, "no such prediction folder")
        self.suffix = suffix

    def path(self, sample_id: str) -> Path:
        return self.folder / f"{sample_id}{self.suffix}"

    def __call__(self, sample_id: str) -> np.ndarray:
        return read_prediction(self.path(sample_id))


@dataclass
class EvalResult:
    """Tables by split, the per-image records and what was skipped (id, reason): samples left out
    on error (``on_error="skip"``) and samples with no pixel to score (`UNSCORABLE`)."""

    protocol: str
    threshold: float
    tables: dict[str, SplitScores]
    images: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        """{split: {f_beta, f1, miou, mse, precision, recall, n, ...}}."""
        return {split: row.to_json() for split, row in self.tables.items()}

    def write_json(self, path: str | os.PathLike) -> Path:
        """Write `to_json()` atomically."""
        from fosp_core.io.masks import atomic_write_bytes

        path = Path(path)
        data = (json.dumps(self.to_json(), indent=2) + "\n").encode("utf-8")
        atomic_write_bytes(path, data)
        return path


def evaluate(dataset, source: str | os.PathLike | PredictionFolder | ProbabilityFn, *,
             protocol: str = "smokeseg", threshold: float = 0.5, false_alarms: bool = False,
             on_error: str = "raise", progress: Callable[[int, int], None] | None = None,
             keep: str = "plain") -> EvalResult:
    """Score every labelled sample of `dataset` (a `fosp_core.data.datasets.Dataset`).

    keep: region rule of the smokeseg mask (`fosp_core.metrics.decision`); the regions it drops
        score as background.

    on_error: "raise" -> PredictionError / SampleError at the first missing or mismatched
        prediction or broken file; "skip" -> leave it out and record (id, reason) in `skipped`.

    A sample whose label is all ignore has nothing to score: it is left out and recorded in
    `skipped` whatever `on_error` says (it is not an error).
    """
    from fosp_core.data.datasets import SampleError

    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    if not dataset.has_labels:
        raise PredictionError(dataset.root, "the dataset has no labels to evaluate against")
    if keep != "plain" and protocol != "smokeseg":
        raise ValueError("keep (a region rule) applies to the smokeseg protocol's threshold mask only")
    if isinstance(source, (str, os.PathLike)):
        source = PredictionFolder(source)
    acc = MetricAccumulator(protocol, threshold=threshold, false_alarms=false_alarms)
    skipped: list[tuple[str, str]] = []
    ids = dataset.ids
    for i, sample_id in enumerate(ids):
        try:
            label = dataset.load_mask(i)
            if isinstance(source, PredictionFolder):
                prob = source(sample_id)
                where: Path = source.path(sample_id)
            else:
                image = dataset.load_image(i)
                prob = np.asarray(source(image), dtype=np.float32)
                where = dataset.entries[i].image
            if prob.shape != label.shape:
                raise PredictionError(where, f"prediction is {prob.shape[-1]}x{prob.shape[0]} but the label is "
                                             f"{label.shape[1]}x{label.shape[0]}")
            try:
                if keep != "plain":
                    prob = apply_rule(as_probability(prob), keep, threshold)
                with labels_from_files():  # read by read_mask: 0 and 255 only is a smoke-free label
                    if not acc.add(prob, label, sample_id)["n_valid"]:
                        skipped.append((sample_id, UNSCORABLE))
            except ValueError as exc:
                raise PredictionError(where, str(exc)) from exc
        except (PredictionError, SampleError) as exc:
            if on_error == "raise":
                raise
            skipped.append((sample_id, str(exc)))
        if progress is not None:
            progress(i + 1, len(ids))
    return EvalResult(protocol, float(threshold), acc.result(), acc.images, skipped)
