"""`app.annotation.kept_scores`: the folder metrics' scores of a result kept in its worklist summary
(JSON: NaN as null) come back as they were; scores at another threshold or rule, without a label, or a
summary edited by hand keep or give nothing; scores name the run that made them (precision, network input,
kind of device) and another run's give nothing."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np

from app.analysis.inference_worker import LoadedModel
from app.analysis.prepared import PreparedResult
from app.annotation.kept_scores import SCORES_KEY, kept_score, other_run, run_key, with_scores
from fosp_core.analysis.results import Scores
from fosp_core.analysis.scorebook import ImageScore, LabelStamp

LABEL = LabelStamp("/data/ds/SegmentationClass/a.png", 1_733_000_000_123_456_789, 5120)
SCORE = ImageScore(Scores(1, 0.8, 0.7, math.nan, 0.75, 0.02), 0.03)
RUN = {"device": "cpu", "precision": "fp32", "input": "512"}


def _prepared(score: ImageScore | None = SCORE, stamp: LabelStamp | None = LABEL, threshold: float = 0.5,
              keep: str = "plain") -> PreparedResult:
    prediction = SimpleNamespace(shape=(4, 4))
    return PreparedResult(prediction, threshold, keep, stamp, np.zeros((4, 4), np.uint8), score, None, {})  # type: ignore[arg-type]


def test_the_scores_come_back_through_json_nan_included() -> None:
    summary = with_scores({"threshold": 0.5}, _prepared(), 0.5, "plain", RUN)
    back = kept_score(json.loads(json.dumps(summary, allow_nan=False)), RUN)
    assert back is not None
    label, score = back
    assert label == LABEL and score.delta == SCORE.delta and score.scores.n == 1
    assert [score.scores.f_beta, score.scores.iou, score.scores.recall, score.scores.m] == [0.8, 0.7, 0.75, 0.02]
    assert math.isnan(score.scores.precision)


def test_nothing_kept_at_another_setting_or_without_a_label_nor_read_from_a_bad_summary() -> None:
    summary = {"threshold": 0.5}
    assert with_scores(summary, _prepared(threshold=0.6), 0.5, "plain", RUN) is summary
    assert with_scores(summary, _prepared(keep="largest"), 0.5, "plain", RUN) is summary
    assert with_scores(summary, _prepared(score=None), 0.5, "plain", RUN) is summary
    assert with_scores(summary, _prepared(stamp=None), 0.5, "plain", RUN) is summary
    assert with_scores(summary, object(), 0.5, "plain", RUN) is summary
    assert with_scores(summary, _prepared(), 0.5, "plain", None) is summary  # a run that cannot be told
    assert kept_score(None, RUN) is None and kept_score(summary, RUN) is None
    good = with_scores(summary, _prepared(), 0.5, "plain", RUN)
    assert kept_score({**good, SCORES_KEY: {**good[SCORES_KEY], "label": "a.png"}}, RUN) is None
    assert kept_score({**good, SCORES_KEY: {**good[SCORES_KEY], "iou": "high"}}, RUN) is None


def test_scores_of_another_run_are_not_this_runs() -> None:
    good = with_scores({"threshold": 0.5}, _prepared(), 0.5, "plain", RUN)
    assert not other_run(good, RUN) and not other_run({"threshold": 0.5}, RUN)  # none kept: nothing to remake
    for key, value in (("precision", "bf16"), ("input", "640"), ("input", "tiled 512/128"), ("device", "cuda")):
        assert other_run(good, {**RUN, key: value}) and kept_score(good, {**RUN, key: value}) is None
    older = {**good, SCORES_KEY: {k: v for k, v in good[SCORES_KEY].items() if k != "run"}}  # before runs were named
    assert other_run(older, RUN) and kept_score(older, RUN) is None


def test_the_run_of_a_loaded_model() -> None:
    info = SimpleNamespace(tau=0.15)
    model = LoadedModel("m", info, "cuda:1", "0123456789abcdef", "bf16", "640")  # type: ignore[arg-type]
    assert run_key(model) == {"device": "cuda", "precision": "bf16", "input": "640"}  # the kind, not the number
    assert run_key(None) is None and run_key(LoadedModel("m", info, "cpu")) is None  # type: ignore[arg-type]
