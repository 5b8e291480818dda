"""Hard-example mining flags a pixel by the rule validation, the metrics and the app's mask use:
p > threshold (a probability of exactly 0.5 is background there, a tie going to background)."""

from __future__ import annotations

import numpy as np

from fosp_core.metrics.decision import keep_regions
from fosp_core.train.hard_negatives import mine_image


def test_a_pixel_at_exactly_the_threshold_is_no_false_alarm() -> None:
    label = np.zeros((64, 64), np.uint8)
    prob = np.zeros((64, 64), np.float32)
    prob[5, 5] = 0.5
    assert not keep_regions(prob, "plain", 0.5)[5, 5]  # the app's mask and the metrics: background
    assert mine_image(prob, label, seed=0, margin=0).hits == 0


def test_labelled_smoke_at_exactly_the_threshold_is_a_miss() -> None:
    label = np.zeros((64, 64), np.uint8)
    label[10:20, 10:20] = 1
    prob = np.zeros((64, 64), np.float32)
    prob[10:20, 10:20] = 0.9
    prob[12, 12] = 0.5
    assert mine_image(prob, label, seed=0, kind="misses").hits == 1
