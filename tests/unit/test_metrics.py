"""Metrics: hand-computed values on tiny arrays, the empty rules, known answers on real samples."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.data.datasets import open_dataset
from fosp_core.metrics import (
    MetricAccumulator,
    crop_flag_counts,
    f_measure,
    far_fp_counts,
    format_table,
    per_image_scores,
    size_bucket,
    smoke_free_crops,
    sod_image_scores,
)
from fosp_core.metrics.evaluate import PredictionError, evaluate

# 4x4: label has 4 smoke pixels (top-left 2x2), one ignore pixel.
LABEL = np.array([[1, 1, 0, 0],
                  [1, 1, 0, 0],
                  [0, 0, 0, 255],
                  [0, 0, 0, 0]], np.uint8)
PROB = np.array([[0.9, 0.8, 0.7, 0.0],
                 [0.6, 0.2, 0.0, 0.0],
                 [0.0, 0.0, 0.0, 0.9],
                 [0.0, 0.0, 0.0, 0.1]], np.float32)


def test_hand_computed_smokeseg_scores() -> None:
    s = per_image_scores(PROB, LABEL)
    # prediction > 0.5: (0,0) (0,1) (0,2) (1,0); the 0.9 on the ignore pixel does not count
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (3, 1, 1, 10)
    assert s["precision"] == pytest.approx(0.75) and s["recall"] == pytest.approx(0.75)
    assert s["f_beta"] == pytest.approx(0.75) and s["f1"] == pytest.approx(0.75)
    assert s["iou"] == pytest.approx(3 / 5)
    sq = [0.01, 0.04, 0.49, 0, 0.16, 0.64, 0, 0, 0, 0, 0, 0, 0, 0, 0.01]  # 15 valid pixels
    assert s["mse"] == pytest.approx(sum(sq) / 15)
    assert s["delta"] == pytest.approx(4 / 16)


def test_f_beta_weights_precision() -> None:
    assert f_measure(1.0, 0.5) == pytest.approx(1.3 * 0.5 / (0.3 + 0.5))
    assert f_measure(0.5, 1.0) == pytest.approx(1.3 * 0.5 / (0.15 + 1.0))
    assert f_measure(0.0, 0.0) == 0.0


def test_threshold_is_strict_and_uint8_is_scaled() -> None:
    label = np.array([[1, 0]], np.uint8)
    assert per_image_scores(np.array([[0.5, 0.0]]), label)["tp"] == 0
    assert per_image_scores(np.array([[128, 127]], np.uint8), label)["f_beta"] == 1.0
    assert per_image_scores(np.array([[0.3, 0.0]]), label, threshold=0.25)["tp"] == 1
    with pytest.raises(ValueError, match="outside"):
        per_image_scores(np.array([[1.5, 0.0]]), label)
    with pytest.raises(ValueError, match="differ"):
        per_image_scores(np.zeros((2, 2)), label)


@pytest.mark.parametrize("label, pred, expected", [
    ([[0, 0]], [[0, 0]], (1, 1, 1, 1)),      # nothing to find, nothing flagged
    ([[0, 0]], [[1, 0]], (0, 1, 0, 0)),      # false alarm only
    ([[1, 0]], [[0, 0]], (0, 0, 0, 0)),      # smoke missed entirely
    ([[255, 255]], [[1, 1]], (1, 1, 1, 1)),  # everything ignored
])
def test_empty_label_and_prediction_rules(label, pred, expected) -> None:
    label, pred = np.array(label, np.uint8), np.array(pred, np.float32)
    for s in (per_image_scores(pred, label), sod_image_scores(pred, label)):
        assert (s["precision"], s["recall"], s["f_beta"], s["iou"]) == expected


def test_hand_computed_sod_scores() -> None:
    prob = np.array([[0.75, 0.5], [0.25, 0.125]], np.float32)
    label = np.array([[1, 1], [0, 0]], np.uint8)
    s = sod_image_scores(prob, label)
    assert s["threshold"] == 0.8125  # 2 x mean 0.40625
    assert (s["tp"], s["fp"], s["fn"]) == (0, 0, 2)  # nothing reaches 0.8125
    s = sod_image_scores(np.array([[0.75, 0.5], [0.0, 0.125]], np.float32), label)
    assert s["threshold"] == 0.6875 and s["precision"] == 1.0 and s["recall"] == 0.5
    assert s["f_beta"] == pytest.approx(1.3 * 0.5 / 0.8)
    assert s["mae"] == pytest.approx((0.25 + 0.5 + 0.0 + 0.125) / 4)
    curve = sod_image_scores(prob, label)["f_curve"]  # q = round(255 p) = 191, 128, 64, 32
    assert curve.shape == (256,) and curve.max() == 1.0
    assert curve[0] == pytest.approx(f_measure(0.5, 1.0))  # t = 0 flags everything
    assert curve[65] == curve[128] == 1.0 and curve[64] == pytest.approx(f_measure(2 / 3, 1.0))
    assert curve[129] == pytest.approx(f_measure(1.0, 0.5)) and curve[192] == 0.0
    assert sod_image_scores(np.full((2, 2), 0.9, np.float32), label)["threshold"] == 1.0  # capped


def test_size_buckets() -> None:
    assert size_bucket(0.0) == size_bucket(0.004999) == "small"
    assert size_bucket(0.005) == size_bucket(0.024999) == "medium"
    assert size_bucket(0.025) == size_bucket(1.0) == "large"


def test_accumulator_means_per_image_and_pooled_miou() -> None:
    acc = MetricAccumulator()
    small = np.zeros((20, 20), np.uint8)
    small[0, 0] = 1                                   # delta 0.25 % -> small
    large = np.zeros((20, 20), np.uint8)
    large[:10] = 1                                    # delta 50 % -> large
    acc.add(np.zeros((20, 20)), small, "s")           # missed: F 0, IoU 0
    pred = large.astype(np.float32)
    pred[10] = 1.0                                    # 20 false positives
    acc.add(pred, large, "l")                         # P 200/220, R 1, IoU 200/220
    r = acc.result()
    assert r["total"].n == 2 and r["small"].n == 1 and r["large"].n == 1 and r["medium"].n == 0
    assert r["total"].miou == pytest.approx((0 + 200 / 220) / 2)
    assert r["total"].recall == pytest.approx(0.5)
    assert r["large"].f_beta == pytest.approx(f_measure(200 / 220, 1.0))
    # pooled: smoke TP 200 FP 20 FN 1 -> 200/221; background TP(TN) 579 FP 1 FN 20 -> 579/600
    assert r["total"].miou_2class == pytest.approx((200 / 221 + 579 / 600) / 2)
    assert math.isnan(r["medium"].f_beta) and r["medium"].to_json()["f_beta"] is None
    assert set(r["total"].to_json()) >= {"f_beta", "f1", "miou", "mse", "precision", "recall", "n"}


def test_far_fp_counts_distance_and_ignore() -> None:
    label = np.zeros((100, 100), np.uint8)
    label[50, 10] = 1
    pred = np.zeros((100, 100), bool)
    pred[50, 10 + 31] = True   # 31 px away: near, not counted
    pred[50, 10 + 32] = True   # 32 px away: far, counted
    pred[0, 99] = True
    label[0, 99] = 255         # ignored
    flagged, total = far_fp_counts(pred, label)
    assert flagged == 1
    near = sum(1 for y in range(100) for x in range(100) if (y - 50) ** 2 + (x - 10) ** 2 < 32 ** 2)
    assert total == 100 * 100 - near - 1


def test_smoke_free_crops() -> None:
    label = np.zeros((600, 600), np.uint8)
    label[:300, :300] = 1
    crops = smoke_free_crops(label, n=2, seed=1)
    assert len(crops) == 2 and crops == smoke_free_crops(label, n=2, seed=1)
    for y, x in crops:   # every crop pixel >= 32 px from smoke: outside the 332 x 332 corner
        assert y >= 332 or x >= 332
    assert smoke_free_crops(np.ones((600, 600), np.uint8)) == []
    assert smoke_free_crops(np.zeros((200, 600), np.uint8)) == []
    empty = np.zeros((600, 600), np.uint8)
    pred = np.zeros((600, 600), bool)
    assert crop_flag_counts(pred, empty) == (0, 2)
    pred[::12, ::12] = True  # 0.69 % of every window
    assert crop_flag_counts(pred, empty) == (2, 2)


def test_table_names_its_protocol() -> None:
    for protocol in ("smokeseg", "sod"):
        acc = MetricAccumulator(protocol)
        acc.add(LABEL == 1, LABEL)
        text = format_table(acc.result(), protocol)
        assert text.splitlines()[0].startswith(f"protocol: {protocol}")
        assert "total" in text and "large" in text


def test_prediction_equal_to_label_gives_1_1_0_on_real_samples(shared_data: Path) -> None:
    ds = open_dataset(shared_data / "smokeseg-samples")
    for protocol in ("smokeseg", "sod"):
        acc = MetricAccumulator(protocol, false_alarms=True)
        for i in range(len(ds)):
            mask = ds.load_mask(i)
            acc.add(mask == 1, mask, ds.ids[i])
        r = acc.result()["total"]
        assert r.n == 30 and (r.f_beta, r.miou, r.mse) == (1.0, 1.0, 0.0)
        assert r.far_fp == 0.0 and r.crops_flagged == 0.0
        if protocol == "sod":
            assert r.f_beta_max == 1.0


def test_evaluate_prediction_files(tmp_path: Path, demo_dir: Path) -> None:
    ds = open_dataset(demo_dir, "val")
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    encodings = ["palette", "0/255", "0/1", "prob"]
    for sample_id, enc in zip(ds.ids, encodings, strict=True):
        mask = ds.load_mask(ds.index_of(sample_id))
        if enc == "palette":
            shutil.copy(demo_dir / "SegmentationClass" / f"{sample_id}.png", pred_dir / f"{sample_id}.png")
        elif enc == "0/255":
            Image.fromarray(mask * 255).save(pred_dir / f"{sample_id}.png")
        elif enc == "0/1":
            Image.fromarray(mask).save(pred_dir / f"{sample_id}.png")
        else:
            Image.fromarray(np.where(mask == 1, 200, 90).astype(np.uint8)).save(pred_dir / f"{sample_id}.png")
    result = evaluate(ds, pred_dir)
    total = result.tables["total"]
    assert total.n == 4 and total.f_beta == 1.0 and total.miou == 1.0
    expected_m = np.mean([0, 0, 0, np.mean(np.where(ds.load_mask(3) == 1, (1 - 200 / 255) ** 2, (90 / 255) ** 2))])
    assert total.mse == pytest.approx(expected_m, rel=1e-5)

    (pred_dir / f"{ds.ids[0]}.png").unlink()
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(pred_dir / f"{ds.ids[1]}.png")
    with pytest.raises(PredictionError, match="no prediction file"):
        evaluate(ds, pred_dir)
    result = evaluate(ds, pred_dir, on_error="skip")
    assert [s[0] for s in result.skipped] == ds.ids[:2]
    assert "10x10" in result.skipped[1][1] and result.tables["total"].n == 2


def test_evaluate_with_a_probability_function(demo_dir: Path) -> None:
    ds = open_dataset(demo_dir)
    masks = {ds.load_image(i).tobytes()[:64]: ds.load_mask(i) for i in range(len(ds))}

    def oracle(rgb: np.ndarray) -> np.ndarray:
        assert rgb.dtype == np.uint8 and rgb.shape[2] == 3
        return (masks[rgb.tobytes()[:64]] == 1).astype(np.float32)

    result = evaluate(ds, oracle, protocol="sod")
    assert result.protocol == "sod" and result.tables["total"].f_beta == 1.0
    assert result.to_json()["total"]["n"] == 4


@pytest.mark.slow
def test_evaluating_500_predictions_takes_under_30_s(tmp_path: Path, demo_dir: Path) -> None:
    import os
    import time

    src = open_dataset(demo_dir)
    data, preds = tmp_path / "data", tmp_path / "pred"
    for sub in ("JPEGImages", "SegmentationClass"):
        (data / sub).mkdir(parents=True)
    preds.mkdir()
    rng = np.random.default_rng(0)
    for k in range(500):
        entry = src.entries[k % len(src)]
        os.symlink(entry.image, data / "JPEGImages" / f"s{k:03d}.jpg")
        os.symlink(entry.mask, data / "SegmentationClass" / f"s{k:03d}.png")
        prob = np.clip((src.load_mask(k % len(src)) == 1) * 0.5 + rng.random((512, 512)) * 0.52, 0, 1)
        Image.fromarray((prob * 255).astype(np.uint8)).save(preds / f"s{k:03d}.png")
    ds = open_dataset(data)
    t0 = time.perf_counter()
    result = evaluate(ds, preds)
    assert time.perf_counter() - t0 < 30.0
    assert result.tables["total"].n == 500 and 0.0 < result.tables["total"].f_beta < 1.0


def test_per_scene_crop_rate_counts_each_scene_once() -> None:
    """Three frames of one scene flagged, one other scene clean: pooled 3/4 of crops, per scene 1/2."""
    empty = np.zeros((300, 300), np.uint8)  # no smoke: every window is smoke-free
    flagged = np.zeros((300, 300), bool)
    flagged[::8, ::8] = True  # 1.6 % of every window: each crop flagged
    scene_of = {"a1": "valley", "a2": "valley", "a3": "valley", "b": "coast"}
    acc = MetricAccumulator("smokeseg", false_alarms=True, scene_of=scene_of)
    for sid in ("a1", "a2", "a3"):
        acc.add(flagged, empty, sid)
    acc.add(np.zeros((300, 300), bool), empty, "b")
    r = acc.result()["total"]
    assert r.crops_flagged == pytest.approx(0.75)
    assert r.crops_flagged_scenes == pytest.approx(0.5)
    assert "per scene" in format_table(acc.result(), "smokeseg")
    # an id missing from the map is a scene of its own; without a map there is no per-scene score
    acc.add(flagged, empty, "unmapped")
    assert acc.result()["total"].crops_flagged_scenes == pytest.approx(2 / 3)
    plain = MetricAccumulator("smokeseg", false_alarms=True)
    plain.add(flagged, empty, "a1")
    assert plain.result()["total"].crops_flagged_scenes is None
    assert "per scene" not in format_table(plain.result(), "smokeseg")
