"""metrics.mae (d125604) is documented as the sod protocol's M, but it was a second copy of the sum:
float64 accumulation where sod_image_scores' "mae" summed in float32, so the two differed in the 8th
digit on a 480x640 image (0.50116034 against 0.50116032), which test_library_metrics' pytest.approx hid.
Both now take one helper: the same number, bit for bit."""

from __future__ import annotations

import numpy as np

from fosp_core.metrics.scores import mae, sod_image_scores


def test_mae_is_bit_for_bit_the_sod_tables_m() -> None:
    rng = np.random.default_rng(0)
    for _ in range(3):
        prob = rng.random((480, 640), dtype=np.float32)
        label = (rng.random((480, 640)) > 0.7).astype(np.uint8)
        label[:10] = 255
        assert mae(prob, label) == sod_image_scores(prob, label)["mae"]
