"""The analysis view's score book (per-image scores kept apart from the result cache), the label
files it checks them against, and the arrays a threshold move recomputes. No Qt."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.analysis.layers import layer_arrays, threshold_dependent, thresholded_arrays
from fosp_core.analysis.results import (
    ERROR_FN,
    ERROR_FP,
    ResultCache,
    ResultKey,
    Scores,
    bucket_means,
    error_codes,
    error_map,
    image_scores,
    label_delta,
    tau_key,
)
from fosp_core.analysis.scorebook import LabelStamp, ScoreBook, label_stamp, label_stamps
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import write_mask_png
from fosp_core.metrics import MetricAccumulator

SHAPE = (10, 12)


def _scores(value: float) -> Scores:
    return Scores(1, value, value, value, value, 1 - value)


def _stamp(name: str = "a.png", mtime_ns: int = 1) -> LabelStamp:
    return LabelStamp(Path("/labels") / name, mtime_ns, 100)


def test_the_book_keeps_scores_by_run_settings_and_label() -> None:
    book = ScoreBook()
    key = ResultKey(Path("/img/a.jpg"), "model", 0.15)
    label = _stamp()
    assert not book.covers(key, label, 0.5, "plain") and not book.was_run(key)
    book.record(key, label, 0.5, "plain", _scores(0.8), 0.01)
    assert book.get(key, label, 0.5, "plain").scores == _scores(0.8)
    assert book.get(key, label, 0.5, "plain").delta == 0.01
    assert book.covers(key, label, 0.5, "plain")
    assert not book.covers(key, label, 0.4, "plain")  # another threshold
    assert not book.covers(key, label, 0.5, "core:0.7")  # another rule
    assert not book.covers(ResultKey(key.path, "model", 0.3), label, 0.5, "plain")  # another τ
    assert not book.covers(ResultKey(key.path, "other", 0.15), label, 0.5, "plain")  # another model
    book.record(key, label, 0.4, "plain", _scores(0.7), 0.01)
    assert book.covers(key, label, 0.5, "plain") and book.covers(key, label, 0.4, "plain")  # both kept
    changed = _stamp(mtime_ns=2)
    assert not book.covers(key, changed, 0.5, "plain") and book.get(key, changed, 0.5, "plain") is None
    assert not book.covers(key, None, 0.5, "plain")  # the label went away: the image runs again...
    book.record(key, None, 0.5, "plain", None)
    assert book.covers(key, None, 0.9, "core:0.8")  # ...and then has nothing to score at any setting
    assert book.get(key, None, 0.5, "plain") is None and book.was_run(key)
    assert not book.covers(key, label, 0.9, "plain")  # a label appeared: it has something to score


def test_the_table_covers_the_runs_with_scores_at_these_settings_in_order() -> None:
    book = ScoreBook()
    keys = [ResultKey(Path(f"/img/{n}.jpg"), "m", 0.15) for n in "abcde"]
    labels = {k.path: _stamp(k.path.stem + ".png") for k in keys}
    labels[keys[3].path] = None
    book.record(keys[0], labels[keys[0].path], 0.5, "plain", _scores(0.9), 0.001)  # small
    book.record(keys[1], labels[keys[1].path], 0.5, "plain", Scores(0, *(float("nan"),) * 5), 0.0)  # all ignore
    book.record(keys[2], labels[keys[2].path], 0.4, "plain", _scores(0.6), 0.2)  # another threshold only
    book.record(keys[3], None, 0.5, "plain", None)  # no label
    paths = [k.path for k in keys]
    table = book.table(paths, "m", 0.15, labels, 0.5, "plain")  # keys[4] never ran
    assert (table.scored, table.all_ignore, table.pending) == (1, 1, 1)
    buckets = table.buckets()
    assert buckets["total"].n == buckets["small"].n == 1 and buckets["total"].f_beta == 0.9
    labels[keys[0].path] = _stamp("a.png", mtime_ns=5)  # its label changed since
    table = book.table(paths, "m", 0.15, labels, 0.5, "plain")
    assert (table.scored, table.pending) == (0, 2)
    assert book.table(paths, "m", 0.3, labels, 0.5, "plain") == book.table(paths, "other", 0.15, labels, 0.5, "plain")
    assert book.table(paths, "m", 0.3, labels, 0.5, "plain").images == ()
    assert set(book.ran("m", 0.150001)) == set(paths[:4])


def test_the_cache_and_the_book_look_tau_up_as_result_keys_round_it() -> None:
    """One rounding of τ (tau_key, to 1e-4) for the keys, the result cache and the score book: a τ off
    by less than that finds the same runs, one off by more does not."""
    key = ResultKey.make("/img/a.jpg", "model", 0.15000001)
    assert key.tau == tau_key(0.15000001) == tau_key(0.15) == 0.15 and tau_key(None) is None
    book, cache = ScoreBook(), ResultCache()
    book.record(key, None, 0.5, "plain", None)
    cache.put(key, Prediction(probability=np.zeros(SHAPE, np.float32), tau=0.15))
    assert key.path in book.ran("model", 0.149999999) and set(cache.for_model("model", 0.149999999)) == {key.path}
    assert key.path not in book.ran("model", 0.1501) and not cache.for_model("model", 0.1501)


def test_the_book_is_bounded() -> None:
    book = ScoreBook(max_images=3, max_rules=2, max_groups=2)
    keys = [ResultKey(Path(f"/img/{i}.jpg"), "m", 0.15) for i in range(5)]
    for key in keys:
        for threshold in (0.3, 0.4, 0.5):
            book.record(key, None if key is keys[0] else _stamp(), threshold, "plain", _scores(threshold), 0.1)
    assert len(book) == 3 and not book.was_run(keys[0])
    assert book.covers(keys[4], _stamp(), 0.5, "plain") and not book.covers(keys[4], _stamp(), 0.3, "plain")
    for model in ("n", "o"):  # two more (model, τ) pairs: the first goes
        book.record(ResultKey(keys[4].path, model, 0.15), None, 0.5, "plain", None)
    assert not book.was_run(keys[4]) and len(book) == 2


def test_bucket_means_are_fosp_evals_numbers_to_the_last_digit() -> None:
    """The box's rows sum per-image scores one by one in image order, as the accumulator of ``fosp
    eval`` does (np.mean's pairwise sum differed in the last digits)."""
    rng = np.random.default_rng(3)
    acc = MetricAccumulator("smokeseg", threshold=0.5)
    records = []
    for i in range(40):
        prob = rng.random(SHAPE, dtype=np.float32) ** (1 + i % 3)
        label = (rng.random(SHAPE) < 0.02 * (i % 7)).astype(np.uint8)
        acc.add(prob, label, str(i))
        records.append((image_scores(Prediction(prob), label, 0.5), label_delta(label)))
    expected, means = acc.result(), bucket_means(records)
    for split, row in expected.items():
        got = means[split]
        assert got.n == row.n
        if row.n:
            assert (got.f_beta, got.iou, got.precision, got.recall, got.m) == (
                row.f_beta, row.miou, row.precision, row.recall, row.mse)


def _voc(root: Path, labelled: list[str], unlabelled: list[str]) -> list[Path]:
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    paths = []
    for name in labelled + unlabelled:
        path = root / "JPEGImages" / f"{name}.jpg"
        Image.fromarray(np.zeros((*SHAPE, 3), np.uint8)).save(path)
        if name in labelled:
            write_mask_png(root / "SegmentationClass" / f"{name}.png", np.zeros(SHAPE, np.uint8))
        paths.append(path.resolve())
    return paths


def test_label_stamps_are_label_stamp_of_each_image(tmp_path: Path) -> None:
    paths = _voc(tmp_path / "voc", ["a", "b"], ["c"])
    (tmp_path / "voc" / "SegmentationClass" / "b.bmp").write_bytes(b"not the first choice")
    (tmp_path / "voc" / "SegmentationClass" / "c.png").mkdir()  # a folder named like a label is none
    other = tmp_path / "plain" / "d.jpg"
    other.parent.mkdir()
    other.write_bytes(b"")
    stamps = label_stamps([*paths, other])
    assert stamps == {p: label_stamp(p) for p in [*paths, other]}
    assert stamps[paths[0]].path == tmp_path / "voc" / "SegmentationClass" / "a.png"
    assert stamps[paths[2]] is None and stamps[other] is None
    # a label written again is another stamp
    before = stamps[paths[0]]
    time.sleep(0.01)
    write_mask_png(before.path, np.ones(SHAPE, np.uint8))
    os.utime(before.path, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    assert label_stamp(paths[0]) != before


def test_thresholded_arrays_are_those_of_layer_arrays_that_depend_on_the_threshold() -> None:
    rng = np.random.default_rng(0)
    prediction = Prediction(probability=rng.random(SHAPE, dtype=np.float32),
                            focus_map=rng.random(SHAPE, dtype=np.float32), hole=rng.random(SHAPE) > 0.5)
    label = rng.choice(np.array([0, 1, 255], np.uint8), SHAPE)
    for keep in ("plain", "core:0.7"):
        every = layer_arrays(prediction, 0.4, label, keep)
        only = thresholded_arrays(prediction, 0.4, label, keep, error_codes(label))
        assert set(only) == {n for n in every if threshold_dependent(n)} == {"prediction mask", "error map"}
        for name, array in only.items():
            np.testing.assert_array_equal(array, every[name])
    assert set(thresholded_arrays(prediction, 0.4)) == {"prediction mask"}


@pytest.mark.parametrize("dtype", [np.uint8, bool])
def test_error_map_is_the_same_whatever_the_mask_type_or_label_values(dtype: type) -> None:
    rng = np.random.default_rng(1)
    mask = (rng.random(SHAPE) > 0.5).astype(dtype)
    label = rng.choice(np.array([0, 1, 7, 255], np.uint8), SHAPE)  # 7: not smoke, scored
    errors = error_map(mask, label)
    predicted, smoke, valid = mask.astype(bool), label == 1, label != 255
    np.testing.assert_array_equal(errors == ERROR_FP, predicted & ~smoke & valid)
    np.testing.assert_array_equal(errors == ERROR_FN, ~predicted & smoke)
    assert set(np.unique(errors)) <= {0, ERROR_FP, ERROR_FN}
    np.testing.assert_array_equal(error_map(mask, label, error_codes(label)), errors)
    np.testing.assert_array_equal(error_map(mask, label.astype(np.int32)), errors)
