"""QA of the analysis numbers (no Qt): the comparison of two checkpoints scores the masks of the
Model panel's region rule, as the metrics box and `fosp eval --keep` do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.analysis.compare import compare_images, compare_one, preview_pair
from fosp_core.analysis.results import probability_scores


def _two_plumes() -> tuple[np.ndarray, np.ndarray]:
    """(probability, label) 64×64: a strong plume (0.9, smoke in the label) and a faint patch of
    haze (0.6, not smoke) that the rule core:0.7 drops."""
    prob = np.zeros((64, 64), np.float32)
    prob[5:20, 5:20] = 0.9
    prob[40:60, 40:60] = 0.6
    label = np.zeros((64, 64), np.uint8)
    label[5:20, 5:20] = 1
    return prob, label


def test_compare_one_scores_the_masks_of_the_region_rule() -> None:
    prob, label = _two_plumes()
    plain = compare_one(Path("x.jpg"), prob, np.zeros_like(prob), label, 0.5)
    kept = compare_one(Path("x.jpg"), prob, np.zeros_like(prob), label, 0.5, keep="core:0.7")
    assert kept.scores[0] == probability_scores(prob, label, 0.5, "core:0.7")  # the metrics box's number
    assert kept.scores[0].f_beta == pytest.approx(1.0) and plain.scores[0].f_beta < 0.9
    assert kept.flagged[0] == pytest.approx(15 * 15 / 64 ** 2)  # the haze is not flagged
    assert plain.flagged[0] == pytest.approx((15 * 15 + 20 * 20) / 64 ** 2)


def test_compare_images_applies_the_rule_to_rows_and_previews(tmp_path: Path) -> None:
    prob, label = _two_plumes()
    folder = tmp_path / "JPEGImages"
    folder.mkdir()
    import cv2

    cv2.imwrite(str(folder / "a.jpg"), np.full((64, 64, 3), 128, np.uint8))
    (tmp_path / "SegmentationClass").mkdir()
    cv2.imwrite(str(tmp_path / "SegmentationClass" / "a.png"), label)
    seen = []
    rows = list(compare_images([folder / "a.jpg"], lambda rgb: prob, lambda rgb: prob, 0.5, keep="core:0.7",
                               on_maps=lambda row, rgb, a, b, lab: seen.append(preview_pair(rgb, a, b, lab, 0.5))))
    assert rows[0].scores[0].f_beta == pytest.approx(1.0)
    assert rows[0].flagged == pytest.approx((15 * 15 / 64 ** 2,) * 2)
    # the preview tints the kept plume only: the haze's pixels stay the image's grey
    assert (seen[0][0][50, 50] == 128).all() and not (seen[0][0][10, 10] == 128).all()
