"""`app.annotation.kept_scores`: the folder metrics' scores of a result kept in its worklist summary
(JSON: NaN as null) come back as they were; scores at another threshold or rule, without a label, or a
summary edited by hand keep or give nothing."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np

from app.analysis.prepared import PreparedResult
from app.annotation.kept_scores import SCORES_KEY, kept_score, with_scores
from fosp_core.analysis.results import Scores
from fosp_core.analysis.scorebook import ImageScore, LabelStamp

LABEL = LabelStamp("/data/ds/SegmentationClass/a.png", 1_733_000_000_123_456_789, 5120)
SCORE = ImageScore(Scores(1, 0.8, 0.7, math.nan, 0.75, 0.02), 0.03)


def _prepared(score: ImageScore | None = SCORE, stamp: LabelStamp | None = LABEL, threshold: float = 0.5,
              keep: str = "plain") -> PreparedResult:
    prediction = SimpleNamespace(shape=(4, 4))
    return PreparedResult(prediction, threshold, keep, stamp, np.zeros((4, 4), np.uint8), score, None, {})  # type: ignore[arg-type]


def test_the_scores_come_back_through_json_nan_included() -> None:
    summary = with_scores({"threshold": 0.5}, _prepared(), 0.5, "plain")
    back = kept_score(json.loads(json.dumps(summary, allow_nan=False)))
    assert back is not None
    label, score = back
    assert label == LABEL and score.delta == SCORE.delta and score.scores.n == 1
    assert [score.scores.f_beta, score.scores.iou, score.scores.recall, score.scores.m] == [0.8, 0.7, 0.75, 0.02]
    assert math.isnan(score.scores.precision)


def test_nothing_kept_at_another_setting_or_without_a_label_nor_read_from_a_bad_summary() -> None:
    summary = {"threshold": 0.5}
    assert with_scores(summary, _prepared(threshold=0.6), 0.5, "plain") is summary
    assert with_scores(summary, _prepared(keep="largest"), 0.5, "plain") is summary
    assert with_scores(summary, _prepared(score=None), 0.5, "plain") is summary
    assert with_scores(summary, _prepared(stamp=None), 0.5, "plain") is summary
    assert with_scores(summary, object(), 0.5, "plain") is summary
    assert kept_score(None) is None and kept_score(summary) is None
    good = with_scores(summary, _prepared(), 0.5, "plain")
    assert kept_score({**good, SCORES_KEY: {**good[SCORES_KEY], "label": "a.png"}}) is None
    assert kept_score({**good, SCORES_KEY: {**good[SCORES_KEY], "iou": "high"}}) is None
