"""The mask legend says the comparison the mask is made with: `keep_regions` keeps ``prob > threshold``
(as the metrics, validation and the annotation tools do), so a pixel of probability exactly 0.50 is not in the
mask at threshold 0.50, and the legend must not say "≥"."""

from __future__ import annotations

import numpy as np

from app.analysis.layer_list import mask_words
from fosp_core.metrics.decision import keep_regions


def test_the_legend_says_the_masks_own_comparison() -> None:
    prob = np.array([[0.5, 0.51]], dtype=np.float32)
    kept = keep_regions(prob, "plain", 0.5)
    assert kept.tolist() == [[False, True]]  # strictly above
    words = mask_words(0.5)
    assert words.startswith("mask: probability > 0.50"), words
    assert "≥" not in words
    assert mask_words(0.4, "core:0.7") == "mask: probability > 0.40, regions with a core above 0.7"
