"""Per-image inference results, ground-truth lookup, error maps and metrics for the analysis view.

Pure numpy, no Qt. A :class:`ResultCache` keeps predictions keyed by (image path, model id, τ) so
revisiting an image - or going back to a τ already tried - is instant; the mask threshold is not
part of the key because thresholding is numpy only (``Prediction.mask``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.metrics import SPLITS, MetricAccumulator, per_image_scores, size_bucket, smoke_ratio
from fosp_core.metrics.decision import apply_rule
from fosp_core.metrics.scores import labels_from_files

#: Error-map values.
ERROR_NONE, ERROR_FP, ERROR_FN = 0, 1, 2

_K = TypeVar("_K")
_V = TypeVar("_V")


#: What the arrays of the cached results may hold at most (the video view's frame maps: 256 MiB).
DEFAULT_RESULT_BYTES = 512 * 1024 * 1024


def prediction_nbytes(prediction: Prediction) -> int:
    """Bytes of every array of `prediction` (its maps, background and per-stride energies; a map held
    at the network's grid, :class:`~fosp_core.infer.gridmap.GridMap`, counts its grid's bytes)."""
    arrays = [prediction.probability, prediction.focus_map, prediction.hole, prediction.background,
              *prediction.foreground_energy.values(), *prediction.side_maps.values()]
    return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray | GridMap))


def keep_recent(items: OrderedDict[_K, _V], key: _K, limit: int) -> None:
    """Mark `key` of `items` as the most recently used and let the least recently used go while there
    are more than `limit` (>= 1, so `key` stays): the count bound of the least-recently-used stores
    here (:class:`ResultCache` bounds its bytes too, so it evicts on its own)."""
    items.move_to_end(key)
    while len(items) > limit:
        items.popitem(last=False)


@dataclass(frozen=True)
class ResultKey:
    """What a cached prediction depends on: the image file, the model (checkpoint + device +
    precision, see :func:`model_id`) and the Focus threshold τ (rounded to 1e-4)."""

    path: Path
    model: str
    tau: float | None

    @classmethod
    def make(cls, path: str | Path, model: str, tau: float | None) -> ResultKey:
        return cls(Path(path).resolve(), model, tau_key(tau))


def tau_key(tau: float | None) -> float | None:
    """τ as a :class:`ResultKey` holds it (rounded to 1e-4; None stays None): compare a τ with a
    key's, or look results and scores up by τ, only through it."""
    return None if tau is None else round(float(tau), 4)


def model_id(checkpoint: str | Path, device: str, precision: str, input: str = "default") -> str:
    """A string naming one loaded model: checkpoint path and modification time, device, precision
    and input choice (results differ with each, so each has its own cache entries)."""
    path = Path(checkpoint)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return f"{path.resolve()}@{stamp}|{device}|{precision}" + ("" if input == "default" else f"|{input}")


class ResultCache:
    """Least-recently-used store of :class:`Prediction` objects by :class:`ResultKey`.

    Bounded twice: at most `max_items` results and at most `max_bytes` of their arrays
    (:func:`prediction_nbytes`; what the app keeps of a result measured 4.3 MiB at 512×512, 9.8 MiB
    at 1920×1080 and 48 MiB at 4000×3000, so 512 MiB holds about 10 of the last); the newest result
    stays whatever its size.
    """

    def __init__(self, max_items: int = 64, max_bytes: int = DEFAULT_RESULT_BYTES) -> None:
        if max_items < 1:
            raise ValueError("max_items must be >= 1")
        self.max_items = int(max_items)
        self.max_bytes = int(max_bytes)
        self._items: OrderedDict[ResultKey, Prediction] = OrderedDict()
        self._sizes: dict[ResultKey, int] = {}
        self._bytes = 0

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays of the results held."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: ResultKey) -> Prediction | None:
        """The prediction for `key` (marked as recently used), or None."""
        pred = self._items.get(key)
        if pred is not None:
            self._items.move_to_end(key)
        return pred

    def put(self, key: ResultKey, prediction: Prediction) -> None:
        """Store `prediction`; the least recently used entries go while there are more than
        `max_items` or their arrays hold more than `max_bytes` (never the one stored)."""
        size = prediction_nbytes(prediction)
        self._bytes += size - self._sizes.get(key, 0)
        self._sizes[key] = size
        self._items[key] = prediction
        self._items.move_to_end(key)
        while len(self._items) > 1 and (len(self._items) > self.max_items or self._bytes > self.max_bytes):
            old, _ = self._items.popitem(last=False)
            self._bytes -= self._sizes.pop(old)

    def latest_for(self, path: str | Path, model: str) -> Prediction | None:
        """The most recently used prediction of image `path` by `model`, whatever its τ."""
        path = Path(path).resolve()
        for key in reversed(self._items):
            if key.path == path and key.model == model:
                return self._items[key]
        return None

    def models_for(self, path: str | Path) -> set[str]:
        """The models with a cached prediction of image `path` (any τ)."""
        path = Path(path).resolve()
        return {key.model for key in self._items if key.path == path}

    def for_model(self, model: str, tau: float | None) -> dict[Path, Prediction]:
        """Every cached prediction of `model` at `tau`, by image path."""
        rounded = tau_key(tau)
        return {k.path: p for k, p in self._items.items() if k.model == model and k.tau == rounded}

    def clear(self) -> None:
        self._items.clear()
        self._sizes.clear()
        self._bytes = 0


def error_codes(label: np.ndarray) -> np.ndarray:
    """uint8 (H, W): a label (0/1/255, uint8 or bool) in the form :func:`error_map` reads: 2 smoke, 1
    other scored pixels, 0 ignore; compute it once per label when the threshold moves often."""
    label = np.asarray(label)
    codes = np.not_equal(label, 255).view(np.uint8)
    return np.add(codes, np.equal(label, 1).view(np.uint8), out=codes)


def error_map(mask: np.ndarray, label: np.ndarray, codes: np.ndarray | None = None) -> np.ndarray:
    """uint8 (H, W): 1 where `mask` says smoke and `label` does not (false positive), 2 where the
    label says smoke and the mask does not (false negative), 0 elsewhere and on ignored (255)
    label pixels. mask: bool/uint8 (H, W), nonzero = smoke; label: uint8 (H, W) with 0/1/255;
    codes: :func:`error_codes` of `label` when the caller has them (about 1 ms at 1920×1080, the
    rest is a fraction of one)."""
    if mask.shape != label.shape:
        raise ValueError(f"mask {mask.shape} and label {label.shape} differ in size")
    if codes is None:
        codes = error_codes(label)
    predicted = mask.view(np.uint8) if mask.dtype == bool else np.not_equal(mask, 0).view(np.uint8)
    # codes & (2 - predicted): a predicted pixel keeps bit 1 (scored, not smoke: ERROR_FP), an
    # unpredicted one bit 2 (smoke: ERROR_FN); ignored pixels (0) stay 0
    out = np.subtract(np.uint8(2), predicted)
    return np.bitwise_and(codes, out, out=out)


def tau_contour(hole: np.ndarray) -> np.ndarray:
    """bool (H, W): the one-pixel boundary of the τ hole (hole pixels with a 4-neighbour outside, the
    image's border counting as outside, as for a traced contour or a napari/matplotlib one): a hole
    touching the border is closed along it, and one covering the whole image is edged by its border
    pixels (with the border counting as inside, neither showed where the region ends)."""
    h = hole.astype(bool)
    if h.size == 0:
        return h
    padded = np.pad(h, 1, mode="constant", constant_values=False)
    interior = (padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    return h & ~interior


#: Where an image folder's labels are (image folder name -> label folder names, beside it) and their
#: file types, in the order :func:`find_label` tries them.
LABEL_DIRS = {"JPEGImages": ("SegmentationClass",), "img": ("gt",), "images": ("masks", "labels", "gt")}
LABEL_EXTS = (".png", ".bmp", ".tif", ".tiff", ".gif", ".jpg")


def find_label(image_path: str | Path) -> Path | None:
    """The ground-truth mask file of an image in a SmokeSeg/VOC (``JPEGImages`` →
    ``SegmentationClass``) or SMOKE5K (``img`` → ``gt``) layout, or None."""
    path = Path(image_path)
    for label_dir in LABEL_DIRS.get(path.parent.name, ()):
        folder = path.parent.parent / label_dir
        for ext in LABEL_EXTS:
            candidate = folder / f"{path.stem}{ext}"
            if candidate.is_file():
                return candidate
    return None


def load_label(image_path: str | Path, shape: tuple[int, int]) -> np.ndarray | None:
    """The label (uint8 (H, W), 0/1/255) of an image when one exists and matches `shape` (H, W)."""
    found = find_label(image_path)
    return None if found is None else read_label(found, shape)


def read_label(label_path: str | Path, shape: tuple[int, int] | None = None) -> np.ndarray | None:
    """The label file `label_path` (uint8 (H, W), 0/1/255), or None when it is unreadable or, given
    `shape` (H, W), of another size."""
    try:
        label = read_mask(label_path)
    except MaskReadError:
        return None
    return label if shape is None or label.shape == tuple(shape) else None


@dataclass(frozen=True)
class Scores:
    """Scores of one image or one size bucket (fractions in 0..1; NaN when undefined)."""

    n: int
    f_beta: float
    iou: float
    precision: float
    recall: float
    m: float  # 𝓜: mean squared error between probability and binary label


_NO_SCORES = Scores(0, *(float("nan"),) * 5)


def label_delta(label: np.ndarray) -> float:
    """Smoke pixel ratio δ of a label (for its size bucket)."""
    return float(smoke_ratio(label))


def probability_scores(probability: np.ndarray, label: np.ndarray, threshold: float, keep: str = "plain") -> Scores:
    """smokeseg-protocol scores of one probability map (H, W) against its label; `keep` scores the
    mask of that region rule (:mod:`fosp_core.metrics.decision`; M on the map it leaves). A label
    with no pixel to score (all ignore) gives n = 0 and NaN scores: it is left out of the means."""
    if keep != "plain":
        probability = apply_rule(probability, keep, threshold)
    with labels_from_files():  # a project's or dataset's mask: 0 and 255 only is a smoke-free label
        s = per_image_scores(probability, label, threshold)
    if not s["n_valid"]:
        return _NO_SCORES
    return Scores(1, s["f_beta"], s["iou"], s["precision"], s["recall"], s["mse"])


def image_scores(prediction: Prediction, label: np.ndarray, threshold: float, keep: str = "plain") -> Scores:
    """smokeseg-protocol scores of one prediction against its label (mask of region rule `keep`)."""
    return probability_scores(prediction.probability, label, threshold, keep)


def bucket_means(records: list[tuple[Scores, float]]) -> dict[str, Scores]:
    """Per-image means by size bucket from (image scores, smoke ratio δ of its label) pairs, the
    same numbers as :func:`set_scores` and ``fosp eval`` over the images in the same order (summed one
    by one, as :class:`~fosp_core.metrics.MetricAccumulator` does) without scoring any image again;
    an image with n = 0 (no pixel to score) is left out."""
    groups: dict[str, list[Scores]] = {split: [] for split in SPLITS}
    for scores, delta in records:
        if not scores.n:
            continue
        groups["total"].append(scores)
        groups[size_bucket(delta)].append(scores)
    nan = float("nan")
    out = {}
    for split, rows in groups.items():
        if not rows:
            out[split] = Scores(0, nan, nan, nan, nan, nan)
            continue
        f_beta = iou = precision = recall = m = 0.0
        for row in rows:
            f_beta += row.f_beta
            iou += row.iou
            precision += row.precision
            recall += row.recall
            m += row.m
        n = len(rows)
        out[split] = Scores(n, f_beta / n, iou / n, precision / n, recall / n, m / n)
    return out


def set_scores(pairs: list[tuple[Prediction, np.ndarray]], threshold: float) -> dict[str, Scores]:
    """Per-image-mean scores over (prediction, label) pairs by size bucket: total/small/medium/large
    (an all-ignore label is left out, as in :class:`~fosp_core.metrics.MetricAccumulator`)."""
    acc = MetricAccumulator("smokeseg", threshold=threshold)
    with labels_from_files():
        for pred, label in pairs:
            acc.add(pred.probability, label)
    result = acc.result()
    out: dict[str, Scores] = {}
    for split in SPLITS:
        r = result[split]
        out[split] = Scores(r.n, r.f_beta, r.miou, r.precision, r.recall, r.mse)
    return out
