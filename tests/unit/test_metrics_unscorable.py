"""An image whose label is all ignore (255) has no scorable pixel (n_valid = 0): it is left out of
every mean and count (training validation, `fosp eval`, the analysis view's metrics box and the
compare dialog), where before it scored as a perfect empty/empty image. An empty but valid label
(all 0, a smoke-free image) keeps the empty-label rules."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.analysis.compare import compare_one, summarize
from fosp_core.analysis.results import Scores, bucket_means, probability_scores, set_scores
from fosp_core.data.datasets import open_dataset
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import write_mask_png
from fosp_core.metrics import MetricAccumulator, scorable
from fosp_core.metrics.evaluate import evaluate

SHAPE = (16, 16)


def _smoke_label() -> np.ndarray:
    label = np.zeros(SHAPE, np.uint8)
    label[4:12, 4:12] = 1
    return label


def _half_found(label: np.ndarray) -> np.ndarray:
    """A prediction finding the top half of the smoke and nothing else."""
    prob = (label == 1).astype(np.float32)
    prob[8:] = 0.0
    return prob


IGNORED = np.full(SHAPE, 255, np.uint8)


def test_scorable_means_at_least_one_non_ignored_pixel() -> None:
    assert not scorable(IGNORED)
    assert scorable(np.zeros(SHAPE, np.uint8))  # empty but valid: smoke-free image
    ignored_but_one = IGNORED.copy()
    ignored_but_one[0, 0] = 0
    assert scorable(ignored_but_one)
    assert scorable(np.zeros(SHAPE, bool))


@pytest.mark.parametrize("protocol", ["smokeseg", "sod"])
def test_accumulator_leaves_an_all_ignore_image_out(protocol: str) -> None:
    label = _smoke_label()
    alone = MetricAccumulator(protocol, false_alarms=True)
    alone.add(_half_found(label), label, "smoke")
    acc = MetricAccumulator(protocol, false_alarms=True)
    acc.add(_half_found(label), label, "smoke")
    record = acc.add(np.ones(SHAPE, np.float32), IGNORED, "ignored")
    assert record["n_valid"] == 0
    assert acc.left_out == ["ignored"]
    assert [r["id"] for r in acc.images] == ["smoke"]
    assert {k: r.to_json() for k, r in acc.result().items()} == {k: r.to_json() for k, r in alone.result().items()}
    assert acc.result()["total"].n == 1 and acc.result()["total"].f_beta < 1.0


@pytest.mark.parametrize("protocol", ["smokeseg", "sod"])
def test_only_all_ignore_images_give_no_score_not_a_perfect_one(protocol: str) -> None:
    acc = MetricAccumulator(protocol)
    for k in range(3):
        acc.add(np.zeros(SHAPE, np.float32), IGNORED, f"i{k}")
    total = acc.result()["total"]
    assert total.n == 0 and math.isnan(total.f_beta) and math.isnan(total.miou) and math.isnan(total.mse)
    assert total.to_json()["f_beta"] is None


def test_empty_valid_label_keeps_the_empty_rules() -> None:
    empty = np.zeros(SHAPE, np.uint8)
    acc = MetricAccumulator("smokeseg")
    acc.add(np.zeros(SHAPE, np.float32), empty, "clean")      # empty / empty = 1
    acc.add(np.ones(SHAPE, np.float32), empty, "false alarm")  # empty / some smoke = 0
    total = acc.result()["total"]
    assert acc.left_out == []
    assert total.n == 2 and total.f_beta == 0.5 and total.miou == 0.5


def test_crop_seeds_follow_the_order_images_were_added() -> None:
    """Image k's smoke-free crops are drawn with seed k whether or not an earlier image was left out."""
    empty = np.zeros((300, 300), np.uint8)
    rng = np.random.default_rng(0)
    pred = rng.random((300, 300)) > 0.999
    plain = MetricAccumulator("smokeseg", false_alarms=True)
    plain.add(pred, np.full((300, 300), 255, np.uint8), "x")  # still left out, but takes seed 0
    with_gap = plain.add(pred, empty, "b")
    reference = MetricAccumulator("smokeseg", false_alarms=True, crop_seed=1)
    assert with_gap["crops"] == reference.add(pred, empty, "b")["crops"]


def test_fosp_eval_reports_an_all_ignore_image_as_skipped(tmp_path: Path, demo_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    ds = open_dataset(data)
    oracle_masks = {ds.ids[i]: ds.load_mask(i) for i in range(len(ds))}
    first = ds.ids[0]
    mask_path = ds.entries[0].mask
    h, w = oracle_masks[first].shape
    write_mask_png(mask_path, np.full((h, w), 255, np.uint8))
    ds = open_dataset(data)
    assert not scorable(ds.load_mask(0))
    preds = tmp_path / "pred"
    preds.mkdir()
    for sample_id, mask in oracle_masks.items():
        Image.fromarray(((mask == 1) * 255).astype(np.uint8)).save(preds / f"{sample_id}.png")
    result = evaluate(ds, preds)  # on_error="raise": leaving an unscorable image out is no error
    assert result.tables["total"].n == len(ds) - 1
    assert [sid for sid, _ in result.skipped] == [first]
    assert "ignore" in result.skipped[0][1]
    assert first not in [r["id"] for r in result.images]
    assert result.to_json()["total"]["n"] == len(ds) - 1


def test_metrics_box_scores_leave_an_all_ignore_image_out() -> None:
    label = _smoke_label()
    prob = _half_found(label)
    this = probability_scores(np.ones(SHAPE, np.float32), IGNORED, 0.5)
    assert this.n == 0 and math.isnan(this.f_beta) and math.isnan(this.iou) and math.isnan(this.m)
    scored = probability_scores(prob, label, 0.5)
    assert scored.n == 1
    means = bucket_means([(scored, 0.25), (this, 0.0)])
    assert means["total"] == bucket_means([(scored, 0.25)])["total"]
    assert means["total"].n == 1 and means["small"].n == 0
    # set_scores (the accumulator) gives the same numbers as bucket_means
    pairs = [(Prediction(probability=prob), label), (Prediction(probability=np.ones(SHAPE, np.float32)), IGNORED)]
    total = set_scores(pairs, 0.5)["total"]
    assert total.n == 1
    assert (total.f_beta, total.iou, total.m) == pytest.approx((means["total"].f_beta, means["total"].iou,
                                                                means["total"].m))


def test_compare_dialog_leaves_an_all_ignore_image_out() -> None:
    label = _smoke_label()
    good, half = (label == 1).astype(np.float32), _half_found(label)
    scored = compare_one(Path("smoke.jpg"), good, half, label, 0.5)
    ignored = compare_one(Path("ignored.jpg"), half, np.ones(SHAPE, np.float32), IGNORED, 0.5)
    assert ignored.scores is None and not ignored.labelled and math.isnan(ignored.f_beta_change)
    summary = summarize([scored, ignored])
    assert summary.n == 2 and summary.n_labelled == 1  # masks still compared, scores left out
    assert (summary.better, summary.worse, summary.ties) == (0, 1, 0)
    for i in (0, 1):
        assert summary.buckets[i]["total"] == Scores(1, *(getattr(scored.scores[i], f) for f in
                                                        ("f_beta", "iou", "precision", "recall", "m")))
