"""Decision rules: which regions of the 0.5 mask count as smoke (fosp_core.metrics.decision)."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.metrics.decision import DecisionRule, apply_rule, keep_regions, parse_rule


def two_blobs() -> np.ndarray:
    """A confident 20x20 blob (core 0.95, rim 0.6) and a weak 10x10 one (0.55 everywhere)."""
    prob = np.full((128, 256), 0.1, dtype=np.float32)
    prob[10:30, 10:30] = 0.6
    prob[15:25, 15:25] = 0.95
    prob[80:90, 200:210] = 0.55
    return prob


def test_plain_is_the_threshold() -> None:
    prob = two_blobs()
    assert np.array_equal(keep_regions(prob, "plain"), prob > 0.5)
    assert np.array_equal(apply_rule(prob, "plain"), prob)


def test_core_keeps_the_whole_confident_region_and_drops_the_weak_one() -> None:
    prob = two_blobs()
    kept = keep_regions(prob, "core:0.8")
    assert kept[10:30, 10:30].all()  # the rim of the confident blob stays: hysteresis, not a higher threshold
    assert not kept[80:90, 200:210].any()
    assert kept.sum() == 400
    out = apply_rule(prob, "core:0.8")
    assert (out > 0.5).sum() == 400
    assert out[85, 205] == 0.0 and out[0, 0] == pytest.approx(0.1)  # only dropped regions change
    assert prob[85, 205] == pytest.approx(0.55)  # the input is not modified


def test_mean_and_area_rules() -> None:
    prob = two_blobs()
    # mean of the confident blob: (100 * 0.95 + 300 * 0.6) / 400 = 0.6875
    assert keep_regions(prob, "mean:0.65").sum() == 400
    assert keep_regions(prob, "mean:0.7").sum() == 0
    # area is counted at a 512-px long side: this image is 256 wide, so pixels count x4
    assert keep_regions(prob, "area:400").sum() == 500  # weak blob: 100 px -> 400 at 512
    assert keep_regions(prob, "area:401").sum() == 400
    assert keep_regions(np.zeros((4, 4), np.float32), "core:0.9").sum() == 0


def test_regions_are_8_connected() -> None:
    prob = np.zeros((8, 8), np.float32)
    prob[2, 2] = 0.9
    prob[3, 3] = 0.6  # touches the strong pixel only by a corner
    assert keep_regions(prob, "core:0.8")[3, 3]


@pytest.mark.parametrize("text,rule", [("plain", DecisionRule()), ("core:0.8", DecisionRule("core", 0.8)),
                                       (" mean:0.7 ", DecisionRule("mean", 0.7)), ("area:64", DecisionRule("area", 64))])
def test_parse(text: str, rule: DecisionRule) -> None:
    assert parse_rule(text) == rule
    assert parse_rule(str(rule)) == rule


@pytest.mark.parametrize("text", ["", "core", "core:", "core:x", "peak:0.5", "core:1.5", "area:-1", "plain:3"])
def test_parse_rejects_with_the_spelling(text: str) -> None:
    with pytest.raises(ValueError, match="decision rule|needs"):
        parse_rule(text)


def test_prediction_mask_takes_the_rule() -> None:
    from fosp_core.infer.result import Prediction

    pred = Prediction(probability=two_blobs())
    assert pred.mask().sum() == 500
    assert pred.mask(keep="core:0.8").sum() == 400 and pred.mask(keep="core:0.8").dtype == np.uint8
    assert pred.smoke_ratio(keep="core:0.8") == pytest.approx(400 / prob_size())
    with pytest.raises(ValueError):
        pred.mask(keep="nonsense")


def prob_size() -> int:
    return two_blobs().size


def test_drop_outside_matches_apply_rule() -> None:
    """A mask already drawn with a rule gives the same map as applying the rule again."""
    from fosp_core.metrics.decision import apply_rule, drop_outside, keep_regions

    rng = np.random.default_rng(3)
    prob = rng.random((40, 50)).astype(np.float32)
    kept = keep_regions(prob, "core:0.95", 0.5)
    np.testing.assert_array_equal(drop_outside(prob, kept.astype(np.uint8), 0.5), apply_rule(prob, "core:0.95", 0.5))
    assert (drop_outside(prob, kept, 0.5) > 0.5).sum() == kept.sum() < (prob > 0.5).sum()
