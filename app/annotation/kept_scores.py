"""An image's folder-metrics scores kept in its worklist summary, for a later session's metrics.

Run on all scores each result against the image's label (`app.analysis.readouts.ScoreReadout`, the
folder metrics); the worklist summary of the same result is kept in the image's project
(`app.annotation.worklist_summaries`). After a reopening, Run on all leaves out the images whose saved
summary is of this model at these settings: without their scores in the summary, the new session's folder
metrics had none of them until Run on All Again. So a summary made on the inference thread keeps the
scores the analysis view made of that result (F_β, IoU, precision, recall, 𝓜, the label's smoke ratio δ
and the label file they were scored against: `with_scores`), and the images Run on all leaves out give
them back to the score book (`kept_score`), which checks that label file as it is now like any other.

What is stored under `SCORES_KEY` in the summary (JSON; NaN - a score undefined on that image - as
null)::

    {"n": 1, "f_beta": 0.8, "iou": 0.7, "precision": 0.9, "recall": 0.75, "m": 0.02, "delta": 0.03,
     "label": {"file": "/data/ds/SegmentationClass/x.png", "mtime_ns": 1733..., "size": 5120}}

Only scores made at the summary's own mask threshold and region rule are kept (those the summary's model
stamp names, what Run on all compares); a summary made on the GUI thread (no scores at hand), by
Pre-label All or by ``fosp project prelabel`` has none: its image has no folder-metrics scores until it
runs again, as before.
"""

from __future__ import annotations

import math
from typing import Any

from app.analysis.prepared import PreparedResult
from fosp_core.analysis.results import Scores
from fosp_core.analysis.scorebook import ImageScore, LabelStamp

__all__ = ["SCORES_KEY", "kept_score", "with_scores"]

#: the key of the scores in a worklist summary
SCORES_KEY = "scores"

_FIELDS = ("f_beta", "iou", "precision", "recall", "m")


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def with_scores(summary: dict, prepared: object, threshold: float, keep: str) -> dict:
    """`summary` with the scores of `prepared` (the analysis view's `PreparedResult` of the same result)
    under `SCORES_KEY` when they were made at `threshold` and region rule `keep` against a label file;
    else `summary` itself."""
    if not isinstance(prepared, PreparedResult) or prepared.score is None or prepared.stamp is None:
        return summary
    if prepared.threshold != float(threshold) or prepared.keep != keep:
        return summary
    score, label = prepared.score, prepared.stamp
    kept: dict[str, Any] = {"n": int(score.scores.n)}
    kept.update((name, _number(getattr(score.scores, name))) for name in _FIELDS)
    kept["delta"] = float(score.delta)
    kept["label"] = {"file": label.file, "mtime_ns": int(label.mtime_ns), "size": int(label.size)}
    return {**summary, SCORES_KEY: kept}


def kept_score(summary: dict | None) -> tuple[LabelStamp, ImageScore] | None:
    """(the label file as scored, the scores) kept in `summary` by `with_scores`; None when it has none
    or they are not what `with_scores` writes (a project file edited by hand: nothing is counted)."""
    kept = summary.get(SCORES_KEY) if isinstance(summary, dict) else None
    if not isinstance(kept, dict):
        return None
    try:
        label = kept["label"]
        stamp = LabelStamp(str(label["file"]), int(label["mtime_ns"]), int(label["size"]))
        values = [math.nan if kept[name] is None else float(kept[name]) for name in _FIELDS]
        return stamp, ImageScore(Scores(int(kept["n"]), *values), float(kept["delta"]))
    except (KeyError, TypeError, ValueError):
        return None
