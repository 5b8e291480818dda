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

The scores also name the run that made them (`RUN_KEY`, `run_key`). The summary's model stamp
(`fosp_core.annotation.prelabel.ModelStamp`) says which model - the checkpoint file's digest and, where
it was stamped with them, its weights' digest (the same weights in another file are the same model:
`same_model`) - at which τ, mask threshold, region rule, precision and network input (a stamp written
before those two were recorded matches no run that knows them); the run repeats the precision and the
input and adds the one thing the stamp does not say that changes the probabilities: the kind of device.
Scores of another run are not this run's: `kept_score` gives none of them and `other_run` tells Run on
all to run their image again (its new summary keeps the new scores). The device counts by its kind
(cpu, cuda, mps), not its number: on CUDA, fp32 convolutions run in TF32 on Ampere or newer GPUs
(torch's default, `app.analysis.compute_words`), so a GPU's probabilities are not the CPU's beyond
rounding and pixels near the threshold flip; cuda:0 and cuda:1 count as one (a machine's GPUs are
mostly of one model; a number would remake every score when the GPUs are renumbered). FoSp has no
test-time augmentation: nothing else changes a result.

What ``"run"`` holds: ``{"device": "cpu", "precision": "fp32", "input": "512"}`` (``"tiled 512/128"``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from app.analysis.prepared import PreparedResult
from fosp_core.analysis.results import Scores
from fosp_core.analysis.scorebook import ImageScore, LabelStamp

if TYPE_CHECKING:
    from app.analysis.inference_worker import LoadedModel

__all__ = ["RUN_KEY", "SCORES_KEY", "kept_score", "other_run", "run_key", "with_scores"]

#: the key of the scores in a worklist summary
SCORES_KEY = "scores"
#: the key, in the kept scores, of the run that made them (`run_key`)
RUN_KEY = "run"

#: what a kept score's run is: {"device": kind, "precision": ..., "input": ...} (the module doc)
Run = dict[str, str]


def run_key(model: LoadedModel | None) -> Run | None:
    """The run of the loaded `model` as kept scores name it (module doc); None without a model or where
    it does not say its precision or input (nothing is kept then: no run could be told from another)."""
    precision, network_input = getattr(model, "precision", ""), getattr(model, "network_input", "")
    if model is None or not precision or not network_input:
        return None
    return {"device": str(model.device).split(":", 1)[0], "precision": precision, "input": network_input}

_FIELDS = ("f_beta", "iou", "precision", "recall", "m")


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def with_scores(summary: dict, prepared: object, threshold: float, keep: str, run: Run | None = None) -> dict:
    """`summary` with the scores of `prepared` (the analysis view's `PreparedResult` of the same result)
    under `SCORES_KEY` when they were made at `threshold` and region rule `keep` against a label file, by
    `run` (`run_key`; None: unknown, nothing kept); else `summary` itself."""
    if not isinstance(prepared, PreparedResult) or prepared.score is None or prepared.stamp is None or run is None:
        return summary
    if prepared.threshold != float(threshold) or prepared.keep != keep:
        return summary
    score, label = prepared.score, prepared.stamp
    kept: dict[str, Any] = {"n": int(score.scores.n)}
    kept.update((name, _number(getattr(score.scores, name))) for name in _FIELDS)
    kept["delta"] = float(score.delta)
    kept["label"] = {"file": label.file, "mtime_ns": int(label.mtime_ns), "size": int(label.size)}
    kept[RUN_KEY] = dict(run)
    return {**summary, SCORES_KEY: kept}


def other_run(summary: dict | None, run: Run | None) -> bool:
    """Whether `summary` keeps scores made by another run than `run` (an older summary's, naming none,
    too): they are not this run's, and its image runs again to make them."""
    kept = summary.get(SCORES_KEY) if isinstance(summary, dict) else None
    return kept is not None and (not isinstance(kept, dict) or run is None or kept.get(RUN_KEY) != run)


def kept_score(summary: dict | None, run: Run | None) -> tuple[LabelStamp, ImageScore] | None:
    """(the label file as scored, the scores) kept in `summary` by `with_scores` in `run`; None when it has
    none, they are another run's (`other_run`) or not what `with_scores` writes (a project file edited by
    hand: nothing is counted)."""
    kept = summary.get(SCORES_KEY) if isinstance(summary, dict) else None
    if not isinstance(kept, dict) or other_run(summary, run):
        return None
    try:
        label = kept["label"]
        stamp = LabelStamp(str(label["file"]), int(label["mtime_ns"]), int(label["size"]))
        values = [math.nan if kept[name] is None else float(kept[name]) for name in _FIELDS]
        return stamp, ImageScore(Scores(int(kept["n"]), *values), float(kept["delta"]))
    except (KeyError, TypeError, ValueError):
        return None
