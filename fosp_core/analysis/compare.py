"""Two checkpoints on the same images: per-image scores side by side, where they disagree, and
the size-bucket means of each (DESIGN, "Retraining": compare two checkpoints on the same images).

Pure numpy, no Qt. :func:`compare_images` runs two probability functions (e.g. from
:func:`fosp_core.infer.probability_fn`) over a list of image files and yields one
:class:`CompareRow` per image, so a caller can show progress and stop between images;
:func:`summarize` turns the rows into a :class:`CompareSummary`. Images with a ground truth (found
next to the image as in a SmokeSeg or SMOKE5K layout, see :func:`~fosp_core.analysis.results.find_label`)
are scored with the smokeseg protocol; every image, labelled or not, gets the agreement of the
two masks (IoU of the flagged pixels), which is what model-assisted labelling cares about when
there is no ground truth yet. Masks, scores and previews follow a region rule `keep`
(:mod:`fosp_core.metrics.decision`), the same as the Model panel's Regions and `fosp eval --keep`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from fosp_core.analysis.compare_truth import UNREADABLE, LeftOut, TruthFn, ground_truth
from fosp_core.analysis.results import (
    Scores,
    bucket_means,
    label_delta,
    probability_scores,
    tau_contour,
)
from fosp_core.infer.video import overlay
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.metrics import SPLITS, scorable, size_bucket
from fosp_core.metrics.decision import apply_rule, parse_rule

__all__ = ["CompareRow", "CompareSummary", "compare_images", "compare_one", "mask_agreement",
           "preview_pair", "rows_to_csv", "summarize", "summary_lines", "truth_sources_line"]

ProbabilityFn = Callable[[np.ndarray], np.ndarray]

ProbabilityMapsFn = Callable[["CompareRow", np.ndarray, np.ndarray, np.ndarray, "np.ndarray | None"], None]

#: A change in per-image F_β smaller than this (0.5 point) counts as a tie.
TIE = 0.005
#: Colours of the previews: each checkpoint's mask, and the ground-truth outline.
COLORS: tuple[tuple[int, int, int], tuple[int, int, int]] = ((255, 140, 40), (80, 170, 255))
GT_COLOR = (64, 220, 90)


def mask_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two boolean masks' flagged pixels; 1.0 when both flag nothing."""
    union = np.count_nonzero(a | b)
    if union == 0:
        return 1.0
    return float(np.count_nonzero(a & b)) / float(union)


@dataclass(frozen=True)
class CompareRow:
    """One image: what each checkpoint flagged and, with a label, how each scored.

    path: the image file; error: why it could not be compared ("" when it was).
    flagged: share of the image's pixels each checkpoint flags (fractions).
    agreement: IoU of the two masks (1.0 when neither flags anything).
    scores: smokeseg scores of each checkpoint against the label; None without a label or when
        the label has no pixel to score (all ignore): such a row counts as unlabelled.
    delta: smoke pixel ratio of the label (NaN without one); bucket: its size bucket or "".
    truth: where the label came from ("dataset label", "project mask (reviewed)", ...;
        `fosp_core.analysis.compare_truth`), "" without one.
    left_out: why its ground truth left the image out (`LeftOut`: unreadable, another size), or None.
    """

    path: Path
    flagged: tuple[float, float] = (math.nan, math.nan)
    agreement: float = math.nan
    scores: tuple[Scores, Scores] | None = None
    delta: float = math.nan
    error: str = ""
    truth: str = ""
    left_out: LeftOut | None = None

    @property
    def labelled(self) -> bool:
        return self.scores is not None

    @property
    def bucket(self) -> str:
        return size_bucket(self.delta) if self.labelled else ""

    @property
    def f_beta_change(self) -> float:
        """F_β of the second checkpoint minus the first (NaN without a label)."""
        if self.scores is None:
            return math.nan
        return self.scores[1].f_beta - self.scores[0].f_beta


def compare_one(path: Path, prob_a: np.ndarray, prob_b: np.ndarray, label: np.ndarray | None,
                threshold: float, keep: str = "plain", truth: str = "") -> CompareRow:
    """The row of one image from both probability maps (H, W) and its label (or None; `truth`
    names where it came from); the masks are those of region rule `keep` (the regions it drops
    count as background)."""
    if prob_a.shape != prob_b.shape:
        raise ValueError(f"probability maps differ in size: {prob_a.shape} and {prob_b.shape}")
    if keep != "plain":
        prob_a, prob_b = apply_rule(prob_a, keep, threshold), apply_rule(prob_b, keep, threshold)
    mask_a, mask_b = prob_a > threshold, prob_b > threshold
    flagged = (float(mask_a.mean()), float(mask_b.mean()))
    agreement = mask_agreement(mask_a, mask_b)
    if label is None or not scorable(label):
        return CompareRow(path, flagged, agreement)
    scores = (probability_scores(prob_a, label, threshold), probability_scores(prob_b, label, threshold))
    return CompareRow(path, flagged, agreement, scores, label_delta(label), truth=truth)


def compare_images(paths: Iterable[str | Path], prob_a: ProbabilityFn, prob_b: ProbabilityFn,
                   threshold: float = 0.5, *, labelled_only: bool = False,
                   on_maps: ProbabilityMapsFn | None = None, keep: str = "plain",
                   truth: TruthFn | None = None) -> Iterator[CompareRow]:
    """One :class:`CompareRow` per image, in order. An image that cannot be read (or whose
    prediction fails) becomes a row with `error` set instead of stopping the comparison; with
    `labelled_only`, images without a ground truth (or with an all-ignore one) are skipped before
    any model runs. `truth(path, (H, W))` gives each image's ground truth
    (:class:`~fosp_core.analysis.compare_truth.Truth`; default: its dataset label,
    :func:`~fosp_core.analysis.compare_truth.ground_truth`); one whose size is not the image's
    makes an error row naming it, before any model runs.
    `on_maps(row, rgb, prob_a, prob_b, label)` sees each compared image's maps (with the regions
    rule `keep` drops at 0) before its row is yielded (e.g. to keep small previews; the maps
    themselves are not kept)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    keep = str(parse_rule(keep))  # a bad rule is the caller's mistake, not every image's error
    for raw in paths:
        path = Path(raw)
        try:
            image = read_image(path)
        except ImageReadError as exc:
            yield CompareRow(path, error=exc.reason)
            continue
        shape = (int(image.rgb.shape[0]), int(image.rgb.shape[1]))
        found = truth(path, shape) if truth is not None else ground_truth(path, shape)
        if found.problem:
            yield CompareRow(path, error=found.problem, truth=found.source, left_out=found.kind)
            continue
        label = found.label
        if labelled_only and (label is None or not scorable(label)):
            continue
        try:
            a = np.asarray(prob_a(image.rgb), dtype=np.float32)
            b = np.asarray(prob_b(image.rgb), dtype=np.float32)
            if keep != "plain":
                a, b = apply_rule(a, keep, threshold), apply_rule(b, keep, threshold)
            row = compare_one(path, a, b, label, threshold, truth=found.source if label is not None else "")
        except (RuntimeError, ValueError) as exc:
            yield CompareRow(path, error=str(exc).strip() or type(exc).__name__)
            continue
        if on_maps is not None:
            on_maps(row, image.rgb, a, b, label)
        yield row


def preview_pair(rgb: np.ndarray, prob_a: np.ndarray, prob_b: np.ndarray, label: np.ndarray | None,
                 threshold: float = 0.5, max_side: int = 480) -> tuple[np.ndarray, np.ndarray]:
    """Two RGB uint8 previews (long side at most `max_side`): the image with the first
    checkpoint's mask tinted, and with the second's; the ground truth outlined in green on both."""
    h, w = rgb.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA) if scale < 1.0 else rgb
    outline = None
    if label is not None:
        smoke = (label == 1).astype(np.uint8)
        if scale < 1.0:
            smoke = cv2.resize(smoke, size, interpolation=cv2.INTER_NEAREST)
        outline = tau_contour(smoke.astype(bool))
        if max(size) >= 240:
            outline = cv2.dilate(outline.astype(np.uint8), np.ones((2, 2), np.uint8)).astype(bool)
    out = []
    for prob, color in zip((prob_a, prob_b), COLORS, strict=True):
        p = cv2.resize(prob, size, interpolation=cv2.INTER_LINEAR) if scale < 1.0 else prob
        view = overlay(small, p > threshold, color=color)
        if outline is not None:
            view[outline] = GT_COLOR
        out.append(view)
    return out[0], out[1]


@dataclass(frozen=True)
class CompareSummary:
    """What the rows add up to.

    n: images compared (errors left out); n_labelled: of those, with a ground truth.
    buckets: per checkpoint, the per-image mean scores by size bucket (total/small/medium/large)
        over the labelled images (n = 0 and NaN where a bucket is empty).
    better, worse, ties: labelled images where the second checkpoint's F_β is higher, lower, or
        within :data:`TIE` of the first's.
    agreement: mean mask IoU over all compared images; flagged: mean flagged share per checkpoint.
    errors: images that could not be compared.
    """

    n: int
    n_labelled: int
    buckets: tuple[dict[str, Scores], dict[str, Scores]]
    better: int
    worse: int
    ties: int
    agreement: float
    flagged: tuple[float, float]
    errors: int


def summarize(rows: Sequence[CompareRow]) -> CompareSummary:
    """The :class:`CompareSummary` of some rows."""
    ok = [r for r in rows if not r.error]
    labelled = [r for r in ok if r.scores is not None]
    buckets = tuple(bucket_means([(r.scores[i], r.delta) for r in labelled])  # type: ignore[index]
                    for i in (0, 1))
    changes = [r.f_beta_change for r in labelled]
    better = sum(1 for c in changes if c > TIE)
    worse = sum(1 for c in changes if c < -TIE)
    nan = math.nan
    return CompareSummary(
        n=len(ok), n_labelled=len(labelled), buckets=(buckets[0], buckets[1]),
        better=better, worse=worse, ties=len(labelled) - better - worse,
        agreement=float(np.mean([r.agreement for r in ok])) if ok else nan,
        flagged=(float(np.mean([r.flagged[0] for r in ok])) if ok else nan,
                 float(np.mean([r.flagged[1] for r in ok])) if ok else nan),
        errors=len(rows) - len(ok))


def _pct(value: float) -> str:
    # round first, then + 0.0: a change of -0.001 % reads "0.00", not "-0.00"
    return "" if math.isnan(value) else f"{round(100 * value, 2) + 0.0:.2f}"


def rows_to_csv(rows: Sequence[CompareRow], names: tuple[str, str] = ("A", "B")) -> str:
    """The rows as CSV text (percentages with two decimals; empty cells where undefined)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    a, b = names
    w.writerow(["image", "bucket", f"F_beta {a}", f"F_beta {b}", "change", f"IoU {a}", f"IoU {b}",
                f"flagged {a}", f"flagged {b}", "mask agreement", "ground truth", "error"])
    for r in rows:
        s = r.scores
        w.writerow([str(r.path), r.bucket,
                    _pct(s[0].f_beta) if s else "", _pct(s[1].f_beta) if s else "",
                    _pct(r.f_beta_change) if s else "",
                    _pct(s[0].iou) if s else "", _pct(s[1].iou) if s else "",
                    _pct(r.flagged[0]), _pct(r.flagged[1]), _pct(r.agreement), r.truth, r.error])
    return out.getvalue()


def summary_lines(summary: CompareSummary, names: tuple[str, str] = ("A", "B")) -> list[str]:
    """A short plain-text account of a summary (for a status line, a report or a terminal)."""
    a, b = names
    lines = [f"{summary.n} images compared"
             + (f", {summary.errors} could not be compared" if summary.errors else "")
             + f"; masks agree (IoU) {_pct(summary.agreement) or '-'} %"]
    if summary.n_labelled:
        for split in SPLITS:
            sa, sb = summary.buckets[0][split], summary.buckets[1][split]
            if sa.n:
                lines.append(f"F_beta {split} ({sa.n}): {a} {_pct(sa.f_beta)}, {b} {_pct(sb.f_beta)}, "
                             f"change {round(100 * (sb.f_beta - sa.f_beta), 2) + 0.0:+.2f}")
        lines.append(f"{b} better on {summary.better}, worse on {summary.worse}, "
                     f"within 0.5 point on {summary.ties} of {summary.n_labelled} labelled images")
    else:
        lines.append("no image has a ground truth: only the masks' agreement can be compared")
    return lines


def truth_sources_line(rows: Sequence[CompareRow]) -> str | None:
    """Where the scored rows' ground truth came from, when a project mask is among them: "ground
    truth: 2 dataset labels, 3 project masks (reviewed), 1 project mask (edited)"; then the images
    left out for a ground truth of the wrong size, named. None when every one is a dataset label."""
    sources: dict[str, int] = {}
    for r in rows:
        if r.labelled and r.truth:
            sources[r.truth] = sources.get(r.truth, 0) + 1
    bad = [r for r in rows if r.left_out is not None]
    if not bad and not any(s.startswith("project") for s in sources):
        return None
    said = ", ".join(f"{n} {s.replace('label', 'labels').replace('mask', 'masks') if n != 1 else s}"
                     for s, n in sources.items())
    line = f"ground truth: {said or 'none'}"
    unreadable = [r.path.name for r in bad if r.left_out is LeftOut.UNREADABLE]
    sized = [r.path.name for r in bad if r.left_out is LeftOut.SIZE]
    if sized:
        line += f"; left out (ground truth of another size): {', '.join(sized)}"
    if unreadable:
        line += f"; left out (ground truth {UNREADABLE}): {', '.join(unreadable)}"
    return line
