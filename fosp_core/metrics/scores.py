"""Per-image segmentation scores for the two protocols of the paper's tables.

Inputs everywhere: ``prob`` HxW smoke probability - float in [0, 1], uint8 0..255 (divided by
255) or bool - and ``label`` uint8 HxW with 0 background, 1 smoke, 255 ignore (bool accepted).
Ignore pixels (255) are left out of every count and every mean, so a 0/255 mask (SMOKE5K's ``gt``
read with PIL) must be read as 0/1 first (`fosp_core.io.masks.read_mask`, or ``mask // 255``):
given as it is, its smoke is ignored (a `LabelEncodingWarning` says so; the scores are not changed). A
uint8 ``prob`` of 0 and 1 only (a 0/1 mask: uint8 means 0..255) warns too.

**smokeseg protocol** (paper Table 3 with §4.2's definitions, means over images): smoke where
``prob > threshold`` (0.5 by default: a tie goes to background, as an argmax over two classes
does; the authors' released evaluation script cuts at 0.4 and reports F with b2 = 1, which the
paper's text does not; issue 11's targets use the paper's 0.5 and b2 = 0.3). Per image: precision P = TP/(TP+FP), recall R = TP/(TP+FN), F_beta = (1+b2)PR/(b2 P+R)
with b2 = 0.3, F1 (b2 = 1), IoU of smoke = TP/(TP+FP+FN), M = mean squared error between the
probability and the binary label. Dataset numbers are means over images; "mIoU" is the mean of
the per-image smoke IoU (the authors' Table 3 definition); the pooled two-class mIoU
(background and smoke IoU from dataset-wide counts, averaged) is also kept as ``miou_2class``.

**sod protocol** (salient-object evaluation that SMOKE5K / Trans-BVM use, paper Table 2):
M = mean absolute error; F_beta (b2 = 0.3) at the adaptive threshold T = min(2 x mean(prob), 1)
with smoke where ``prob >= T`` and ``prob > 0`` (so an all-zero map flags nothing); and the F_beta curve over the 256 thresholds t/255,
t = 0..255, applied to the probability quantised to 8 bits (``round(prob*255) >= t``), averaged
over images, whose maximum is ``f_beta_max``. Precision, recall, F1 and IoU are reported at the
adaptive threshold. Predictions are not min-max normalised.

**Rules for empty labels and empty predictions** (within the non-ignored pixels):

====================  ==================  =====  =====  ======  =====
label                 prediction          P      R      F       IoU
====================  ==================  =====  =====  ======  =====
empty                 empty               1      1      1       1
empty                 some smoke          0      1      0       0
some smoke            empty               0      0      0       0
some smoke            some smoke          formulas; F = 0 when P + R = 0
====================  ==================  =====  =====  ======  =====

An image whose pixels are all ignored is left out: it has no scorable pixel (``n_valid`` = 0, see
`scorable`), so every mean and count over images (`MetricAccumulator`, ``fosp eval``, the analysis
view) leaves it out instead of scoring it as a perfect image; the per-image functions still return
the "empty / empty" values with ``n_valid`` = 0 and M = 0. An empty but valid label (all 0, a
smoke-free image) follows the rules above. (SmokeSeg test images all contain smoke, so these rules
do not change numbers comparable with the paper.)
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import numpy as np

from fosp_core.mask_warnings import LabelEncodingWarning, warn_caller

__all__ = [
    "BETA2",
    "N_THRESHOLDS",
    "as_probability",
    "binary_label",
    "f_measure",
    "labels_from_files",
    "per_image_scores",
    "sod_image_scores",
    "adaptive_binary",
    "confusion",
    "rates",
    "scorable",
]

BETA2 = 0.3
N_THRESHOLDS = 256


def as_probability(prob: np.ndarray) -> np.ndarray:
    """float32 HxW in [0, 1] from float, uint8 (/255) or bool input; ValueError out of range."""
    if isinstance(prob, str):
        raise ValueError(f"probability must be an HxW array, got a str ({prob[:40]!r}): the array comes first, "
                         f"as in per_image_scores(prob, label) and MetricAccumulator.add(prob, label, sample_id)")
    prob = np.asarray(prob)
    if prob.dtype == np.uint8:
        if prob.size and int(prob.max()) == 1:
            warn_caller(ZERO_ONE_PROBABILITY, LabelEncodingWarning)
        return prob.astype(np.float32) * np.float32(1.0 / 255.0)
    if prob.dtype == bool:
        return prob.astype(np.float32)
    if prob.dtype.kind not in "fiu":
        raise ValueError(f"probability must be numeric, got {prob.dtype}")
    prob = prob.astype(np.float32, copy=False)
    if prob.size and (np.nanmin(prob) < 0.0 or np.nanmax(prob) > 1.0):
        raise ValueError(f"probability outside [0, 1]: {float(np.nanmin(prob))}..{float(np.nanmax(prob))}")
    if prob.size and np.isnan(prob).any():
        raise ValueError("probability contains NaN")
    return prob


#: a uint8 probability of 0 and 1 only: a 0/1 mask (warned, read as before)
ZERO_ONE_PROBABILITY = ("the probability is a uint8 array of 0 and 1: uint8 is read as 0..255, so its 1 is 1/255 and "
                        "no pixel passes the threshold. Give a 0/1 mask (a Prediction's mask() is one) as "
                        "mask.astype(bool), or the probability itself (Prediction.probability)")


#: True inside `labels_from_files`: the labels scored were read by `read_mask`, which decodes a 0/255 mask
#: to 0/1, so one of 0 and 255 only is a smoke-free image with an ignore band, nothing to warn of
_FROM_FILES: contextvars.ContextVar[bool] = contextvars.ContextVar("labels_from_files", default=False)


@contextlib.contextmanager
def labels_from_files() -> Iterator[None]:
    """A block whose labels were read from files (`fosp_core.io.masks.read_mask`, a dataset's or a
    project's masks): a label of 0 and 255 only is scored without a `LabelEncodingWarning` (`fosp eval`
    warned of every smoke-free image with an ignore band). This thread (context) only."""
    token = _FROM_FILES.set(True)
    try:
        yield
    finally:
        _FROM_FILES.reset(token)


def _warn_zero_255(label: np.ndarray, smoke: np.ndarray, valid: np.ndarray) -> None:
    """Warn (`LabelEncodingWarning`) when a label holds 0 and 255 only: SmokeSeg's 255 is *ignore*, so a
    0/255 mask's smoke is left out of the scores (they are not changed). Looked at only when the label has
    no smoke and some ignore (rare in a 0/1/255 label): the scores' own arrays, no pass more otherwise."""
    if label.dtype == bool or smoke.any() or valid.all() or not valid.any() or label[valid].any():
        return
    if _FROM_FILES.get():
        return
    warn_caller(f"the label holds 0 and 255 only ({int(np.count_nonzero(~valid))} px of 255, no 1): 255 is "
                "*ignore*, so those pixels are left out and no pixel is smoke. A 0/255 mask (SMOKE5K's gt "
                "read with PIL) is read as 0/1 by fosp_core.read_mask(path), or given as "
                "(label == 255).astype(np.uint8); a smoke-free label with an ignore band is scored right "
                "(silence this: warnings.filterwarnings('ignore', category=fosp_core.LabelEncodingWarning))",
                LabelEncodingWarning)


def binary_label(label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(smoke bool HxW, valid bool HxW) of a 0/1/255 label (valid = not ignore)."""
    label = np.asarray(label)
    if label.dtype == bool:
        return label, np.ones(label.shape, bool)
    return label == 1, label != 255


def scorable(label: np.ndarray) -> bool:
    """True when a 0/1/255 (or bool) label HxW has at least one non-ignored pixel to score."""
    return bool(binary_label(label)[1].any())


def _check(prob: np.ndarray, label: np.ndarray) -> None:
    if prob.ndim != 2 or label.ndim != 2:
        raise ValueError(f"prob and label must be HxW, got {prob.shape} and {label.shape}")
    if prob.shape != label.shape:
        raise ValueError(f"prob {prob.shape} and label {label.shape} differ in size")


def f_measure(precision: float, recall: float, beta2: float = BETA2) -> float:
    """(1+b2)PR/(b2 P + R), 0 when P + R = 0."""
    den = beta2 * precision + recall
    return float((1.0 + beta2) * precision * recall / den) if den > 0 else 0.0


def confusion(pred: np.ndarray, smoke: np.ndarray, valid: np.ndarray) -> tuple[int, int, int, int]:
    """(TP, FP, FN, TN) over valid pixels of bool HxW prediction and label."""
    pv = pred & valid
    tp = int(np.count_nonzero(pv & smoke))
    n_pred = int(np.count_nonzero(pv))
    n_smoke = int(np.count_nonzero(smoke & valid))
    n_valid = int(np.count_nonzero(valid))
    fp = n_pred - tp
    fn = n_smoke - tp
    return tp, fp, fn, n_valid - tp - fp - fn


def rates(tp: int, fp: int, fn: int, beta2: float = BETA2) -> dict[str, float]:
    """precision, recall, f_beta, f1, iou from counts, with the empty rules of the module doc."""
    n_label, n_pred = tp + fn, tp + fp
    if n_label == 0 and n_pred == 0:
        return {"precision": 1.0, "recall": 1.0, "f_beta": 1.0, "f1": 1.0, "iou": 1.0}
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_label if n_label else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f_beta": f_measure(precision, recall, beta2),
        "f1": f_measure(precision, recall, 1.0),
        "iou": tp / (tp + fp + fn),
    }


def mae(prob: np.ndarray, label: np.ndarray) -> float:
    """Mean absolute error between `prob` (HxW float in [0, 1], uint8 /255 or bool) and the binary
    smoke label (uint8 HxW 0/1, 255 ignored; a 0/255 mask must be read as 0/1 first, e.g. with
    `fosp_core.io.masks.read_mask`), over the scored pixels: the sod protocol's M. 0.0 when no pixel
    is scored."""
    prob = as_probability(prob)
    label = np.asarray(label)
    _check(prob, label)
    smoke, valid = binary_label(label)
    _warn_zero_255(label, smoke, valid)
    return _mean_abs_error(prob[valid], smoke[valid])


def _mean_abs_error(p_valid: np.ndarray, s_valid: np.ndarray) -> float:
    """M of the scored pixels (`mae`, `sod_image_scores`: one sum, the same number): summed in float64;
    0.0 when none is scored."""
    if not p_valid.size:
        return 0.0
    return float(np.abs(p_valid - s_valid.astype(np.float32)).mean(dtype=np.float64))


def per_image_scores(prob: np.ndarray, label: np.ndarray, threshold: float = 0.5,
                     beta2: float = BETA2) -> dict:
    """smokeseg-protocol scores of one image.

    Returns {precision, recall, f_beta, f1, iou, mse, tp, fp, fn, tn, delta, n_valid}
    (fractions in 0..1; delta = smoke pixels / all pixels).
    """
    prob = as_probability(prob)
    label = np.asarray(label)
    _check(prob, label)
    smoke, valid = binary_label(label)
    _warn_zero_255(label, smoke, valid)
    tp, fp, fn, tn = confusion(prob > threshold, smoke, valid)
    out: dict = rates(tp, fp, fn, beta2)
    n_valid = tp + fp + fn + tn
    if n_valid:
        diff = prob - smoke.astype(np.float32)
        out["mse"] = float(np.square(diff[valid]).mean()) if n_valid < valid.size else float(np.square(diff).mean())
    else:
        out["mse"] = 0.0
    out.update(tp=tp, fp=fp, fn=fn, tn=tn, n_valid=n_valid, delta=float(np.count_nonzero(smoke)) / smoke.size)
    return out


def sod_image_scores(prob: np.ndarray, label: np.ndarray, beta2: float = BETA2) -> dict:
    """sod-protocol scores of one image.

    Returns {precision, recall, f_beta, f1, iou (at the adaptive threshold), threshold, mae,
    f_curve (float64[256], F_beta at t/255 for t = 0..255), tp, fp, fn, tn, delta, n_valid}.
    """
    prob = as_probability(prob)
    label = np.asarray(label)
    _check(prob, label)
    smoke, valid = binary_label(label)
    _warn_zero_255(label, smoke, valid)
    all_valid = bool(valid.all())
    p_valid = prob if all_valid else prob[valid]
    s_valid = smoke if all_valid else smoke[valid]
    n_valid = int(p_valid.size)
    mean = float(p_valid.mean(dtype=np.float64)) if n_valid else 0.0
    threshold = min(2.0 * mean, 1.0)
    tp, fp, fn, tn = confusion(adaptive_binary(prob, threshold), smoke, valid)
    out: dict = rates(tp, fp, fn, beta2)
    out["threshold"] = threshold
    out["mae"] = _mean_abs_error(p_valid, s_valid)
    out["f_curve"] = _f_curve(p_valid, s_valid, beta2)
    out.update(tp=tp, fp=fp, fn=fn, tn=tn, n_valid=n_valid, delta=float(np.count_nonzero(smoke)) / smoke.size)
    return out


def adaptive_binary(prob: np.ndarray, threshold: float) -> np.ndarray:
    """sod binarisation: prob >= threshold, and never where prob is 0 (an all-zero map flags nothing,
    where the plain rule with threshold 2 x 0 = 0 would flag every pixel)."""
    return (prob >= threshold) & (prob > 0)


def _f_curve(p_valid: np.ndarray, s_valid: np.ndarray, beta2: float) -> np.ndarray:
    """F_beta at the 256 thresholds t = 0..255 on round(prob*255) >= t, with the empty rules."""
    q = np.rint(p_valid.ravel() * 255.0).astype(np.intp)
    s = s_valid.ravel()
    pos = np.bincount(q[s], minlength=N_THRESHOLDS)[:N_THRESHOLDS].astype(np.float64)
    neg = np.bincount(q[~s], minlength=N_THRESHOLDS)[:N_THRESHOLDS].astype(np.float64)
    tp = np.cumsum(pos[::-1])[::-1]  # predicted smoke at threshold t: q >= t
    fp = np.cumsum(neg[::-1])[::-1]
    n_label = float(pos.sum())
    n_pred = tp + fp
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_pred > 0, tp / np.maximum(n_pred, 1), 0.0)
        recall = np.full(N_THRESHOLDS, 1.0) if n_label == 0 else tp / n_label
        den = beta2 * precision + recall
        f = np.where(den > 0, (1 + beta2) * precision * recall / np.where(den > 0, den, 1), 0.0)
    if n_label == 0:
        f = np.where(n_pred == 0, 1.0, 0.0)
    return f
