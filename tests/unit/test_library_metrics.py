"""fosp_core.metrics from a notebook: MAE of one image, an accumulator's table, arguments swapped.

Before: MAE came only inside `sod_image_scores` (with its adaptive threshold and 256-point curve),
an accumulator's table needed the protocol said again (`format_table(acc.result(), "smokeseg")`,
TypeError without it), and `add(sample_id, prob, label)` said 'probability must be numeric, got <U44'.
"""

from __future__ import annotations

import numpy as np
import pytest


def _pair() -> tuple[np.ndarray, np.ndarray]:
    prob = np.zeros((4, 5), np.float32)
    prob[1:3, 1:4] = 0.75
    label = np.zeros((4, 5), np.uint8)
    label[1:3, 1:3] = 1
    label[0, :] = 255  # ignored row
    return prob, label


def test_mae_is_the_sod_protocols_m_over_the_scored_pixels() -> None:
    from fosp_core.metrics import mae, sod_image_scores

    prob, label = _pair()
    assert mae(prob, label) == pytest.approx(sod_image_scores(prob, label)["mae"])
    # by hand: 4 smoke pixels at 0.75 (0.25 each), 2 background pixels at 0.75, 9 more at 0: 15 scored
    assert mae(prob, label) == pytest.approx((4 * 0.25 + 2 * 0.75) / 15)
    assert mae(prob, np.full((4, 5), 255, np.uint8)) == 0.0  # nothing scored
    assert mae((prob * 255).astype(np.uint8), label) == pytest.approx(mae(prob, label), abs=1e-2)


def test_an_accumulator_prints_its_own_table() -> None:
    from fosp_core.metrics import MetricAccumulator, format_table

    for protocol in ("smokeseg", "sod"):
        acc = MetricAccumulator(protocol=protocol)
        acc.add(*_pair(), sample_id="a")
        assert acc.table() == format_table(acc.result(), protocol, acc.threshold)
        assert acc.table().startswith(f"protocol: {protocol}")


def test_an_id_given_as_the_probability_is_named() -> None:
    from fosp_core.metrics import MetricAccumulator

    prob, label = _pair()
    with pytest.raises(ValueError, match=r"got a str .*\(prob, label, sample_id\)"):
        MetricAccumulator().add("img-1", prob, label)  # type: ignore[arg-type]
