"""fosp_core.analysis.compare: two checkpoints' probability maps on the same images, per image and summed
up, on the bundled SmokeSeg samples (which have ground truth) and on files the tests make."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.analysis.compare import (
    COLORS,
    GT_COLOR,
    compare_images,
    compare_one,
    mask_agreement,
    preview_pair,
    rows_to_csv,
    summarize,
    summary_lines,
)
from fosp_core.analysis.results import load_label
from fosp_core.io.images import read_image
from fosp_core.metrics import per_image_scores


def _demo_images(demo_dir: Path) -> list[Path]:
    return sorted((demo_dir / "JPEGImages").glob("*.jpg"))


def _key(rgb: np.ndarray) -> str:
    return hashlib.sha1(rgb.tobytes()).hexdigest()


def _oracle(label_of: dict[str, np.ndarray]):
    """A probability function that returns the ground truth of the image with those pixels."""
    def fn(rgb: np.ndarray) -> np.ndarray:
        return (label_of[_key(rgb)] == 1).astype(np.float32)
    return fn


def _nothing(rgb: np.ndarray) -> np.ndarray:
    return np.zeros(rgb.shape[:2], np.float32)


def test_mask_agreement_is_the_iou_of_the_flagged_pixels() -> None:
    a = np.zeros((4, 4), bool)
    b = np.zeros((4, 4), bool)
    assert mask_agreement(a, b) == 1.0  # both flag nothing: they agree
    a[0, :2] = True
    assert mask_agreement(a, b) == 0.0
    b[0, 1:3] = True
    assert mask_agreement(a, b) == pytest.approx(1 / 3)


def test_compare_one_scores_each_map_against_the_label() -> None:
    label = np.zeros((8, 8), np.uint8)
    label[2:6, 2:6] = 1
    label[0, 0] = 255  # ignored
    perfect = (label == 1).astype(np.float32)
    half = perfect.copy()
    half[2:4] = 0.0
    row = compare_one(Path("x.jpg"), perfect, half, label, 0.5)
    assert row.labelled and row.bucket == "large"
    assert row.scores[0].f_beta == pytest.approx(1.0)
    want = per_image_scores(half, label, 0.5)["f_beta"]
    assert row.scores[1].f_beta == pytest.approx(want)
    assert row.f_beta_change == pytest.approx(want - 1.0)
    assert row.agreement == pytest.approx(8 / 16)
    assert row.flagged == (pytest.approx(16 / 64), pytest.approx(8 / 64))
    unlabelled = compare_one(Path("x.jpg"), perfect, half, None, 0.5)
    assert not unlabelled.labelled and unlabelled.bucket == "" and math.isnan(unlabelled.f_beta_change)
    with pytest.raises(ValueError, match="differ in size"):
        compare_one(Path("x.jpg"), perfect, half[:4], label, 0.5)


def test_compare_images_on_the_demo_samples(demo_dir: Path) -> None:
    paths = _demo_images(demo_dir)
    assert len(paths) >= 3
    labels = {}
    for p in paths:
        rgb = read_image(p).rgb
        labels[_key(rgb)] = load_label(p, rgb.shape[:2])
    seen = []
    rows = list(compare_images(paths, _oracle(labels), _nothing, 0.5,
                               on_maps=lambda row, rgb, a, b, label: seen.append((row.path, rgb.shape, label is None))))
    assert [r.path for r in rows] == paths and [s[0] for s in seen] == paths
    assert all(r.labelled and not r.error for r in rows)
    assert all(r.scores[0].f_beta == pytest.approx(1.0) and r.scores[1].f_beta == 0.0 for r in rows)
    summary = summarize(rows)
    assert summary.n == summary.n_labelled == len(paths)
    assert summary.worse == len(paths) and summary.better == 0 and summary.ties == 0
    assert summary.buckets[0]["total"].f_beta == pytest.approx(1.0)
    assert summary.buckets[1]["total"].f_beta == 0.0
    assert sum(summary.buckets[0][b].n for b in ("small", "medium", "large")) == len(paths)
    assert summary.flagged[1] == 0.0 and summary.flagged[0] > 0.0
    text = "\n".join(summary_lines(summary, ("old", "new")))
    assert f"new better on 0, worse on {len(paths)}" in text and "change -100.00" in text


def test_unreadable_images_become_error_rows_and_unlabelled_ones_can_be_skipped(demo_dir: Path,
                                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir()
    good = folder / "plain.jpg"
    shutil.copy(_demo_images(demo_dir)[0], good)  # no SegmentationClass next to it: no label
    broken = folder / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    calls = []

    def counting(rgb: np.ndarray) -> np.ndarray:
        calls.append(rgb.shape)
        return np.full(rgb.shape[:2], 0.7, np.float32)

    rows = list(compare_images([good, broken], counting, _nothing, 0.5))
    assert [r.path for r in rows] == [good, broken]
    assert not rows[0].labelled and rows[0].agreement == 0.0 and rows[0].flagged == (1.0, 0.0)
    assert rows[1].error and not rows[1].labelled
    summary = summarize(rows)
    assert summary.n == 1 and summary.errors == 1 and summary.n_labelled == 0
    assert "only the masks' agreement" in "\n".join(summary_lines(summary))
    calls.clear()
    assert list(compare_images([good], counting, _nothing, labelled_only=True)) == []
    assert calls == []  # skipped before any model ran

    def failing(rgb: np.ndarray) -> np.ndarray:
        raise RuntimeError("out of memory on the device")

    (row,) = compare_images([good], failing, _nothing)
    assert row.error == "out of memory on the device"
    with pytest.raises(ValueError, match="threshold"):
        list(compare_images([good], _nothing, _nothing, threshold=1.5))


def test_rows_to_csv_has_one_line_per_image(demo_dir: Path) -> None:
    label = np.zeros((10, 10), np.uint8)
    label[:5] = 1
    a = (label == 1).astype(np.float32)
    rows = [compare_one(Path("one.jpg"), a, np.zeros_like(a), label, 0.5),
            compare_one(Path("two.jpg"), a, a, None, 0.5)]
    table = list(csv.reader(io.StringIO(rows_to_csv(rows, ("old", "new")))))
    assert table[0][:5] == ["image", "bucket", "F_beta old", "F_beta new", "change"]
    assert table[1][0] == "one.jpg" and table[1][2] == "100.00" and table[1][3] == "0.00" and table[1][4] == "-100.00"
    assert table[2][0] == "two.jpg" and table[2][2] == "" and table[2][9] == "100.00"


def test_preview_pair_is_small_and_shows_both_masks_and_the_ground_truth(tmp_path: Path) -> None:
    rgb = np.full((600, 1200, 3), 40, np.uint8)
    label = np.zeros((600, 1200), np.uint8)
    label[100:300, 100:500] = 1
    a = np.zeros((600, 1200), np.float32)
    a[100:300, 100:500] = 0.9
    b = np.zeros_like(a)
    left, right = preview_pair(rgb, a, b, label, 0.5, max_side=480)
    assert left.shape == right.shape == (240, 480, 3) and left.dtype == np.uint8
    inside = left[80, 100]  # inside A's mask, scaled by 0.4
    assert inside[0] > inside[2]  # tinted with A's orange
    assert tuple(right[80, 100]) == (40, 40, 40)  # B flags nothing there
    outline = (right == np.array(GT_COLOR, np.uint8)).all(axis=2)
    assert outline[40:121, 38:42].any() and not outline[150:, 300:].any()
    assert COLORS[0] != COLORS[1]
    Image.fromarray(np.concatenate([left, right], axis=1)).save(tmp_path / "pair.png")  # a valid picture


def test_csv_percentages_never_read_minus_zero() -> None:
    from fosp_core.analysis.compare import _pct

    assert _pct(-0.00001) == "0.00"  # a change too small to show is no change, not "-0.00"
    assert _pct(-0.0) == "0.00"
    assert _pct(-0.0051) == "-0.51"
    assert _pct(0.5) == "50.00"
    assert _pct(float("nan")) == ""
