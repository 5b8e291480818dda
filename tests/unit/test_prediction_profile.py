"""Accept Prediction with the probability map's `PredictionProfile` (row and column maxima read once
per map, `fosp_core.annotation.prediction_profile`) gives the same bounds, mask, undo step and status
as reading the map, over random maps and thresholds; reads only the box it changes; and the cache
hands a profile only to the very map it was prepared from, read on a worker thread."""

from __future__ import annotations

import gc

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.prediction_profile import PredictionProfile, ProfileCache
from tests.profile_threads import record_profile_threads

THRESHOLDS = (0.0, 0.05, 0.3, 0.5, 0.5000001, 0.7, 0.95, 1.0)


def _maps() -> list[tuple[str, np.ndarray]]:
    """Random maps of several kinds: noise, smooth blobs, a corner plume, flat ones, a NaN, float64
    and a non-contiguous (transposed) view."""
    rng = np.random.default_rng(25)
    out: list[tuple[str, np.ndarray]] = []
    for i in range(4):
        h, w = int(rng.integers(1, 90)), int(rng.integers(1, 120))
        out.append((f"noise{i}", rng.random((h, w), np.float32)))
        blobs = cv2.GaussianBlur(rng.random((h, w), np.float32) ** 6, (0, 0), 4)
        out.append((f"blobs{i}", (blobs / max(float(blobs.max()), 1e-6)).astype(np.float32)))
    plume = np.zeros((120, 160), np.float32)
    plume[90:110, 130:155] = rng.random((20, 25), np.float32)
    out += [("plume", plume), ("zeros", np.zeros((40, 50), np.float32)), ("ones", np.ones((40, 50), np.float32))]
    nan = rng.random((30, 40), np.float32)
    nan[7, 9] = np.nan
    out += [("nan", nan), ("float64", rng.random((33, 44))), ("transposed", rng.random((50, 70), np.float32).T)]
    return out


MAPS = _maps()


def _masks(shape: tuple[int, int], rng: np.random.Generator) -> list[np.ndarray]:
    """Starting masks: empty, random 0/1/255, and smoke in a box."""
    box = np.zeros(shape, np.uint8)
    box[shape[0] // 3:, : max(1, shape[1] // 2)] = 1
    return [np.zeros(shape, np.uint8), rng.choice(np.array([0, 1, 255], np.uint8), size=shape, p=[.6, .3, .1]), box]


@pytest.mark.parametrize("name,probability", MAPS, ids=[n for n, _ in MAPS])
def test_bounds_with_the_profile_are_those_read_from_the_map(name: str, probability: np.ndarray) -> None:
    profile = PredictionProfile.of(probability)
    for threshold in (*THRESHOLDS, *np.random.default_rng(1).random(20)):
        assert cleanup.prediction_bounds(probability, threshold, profile=profile) == \
            cleanup.prediction_bounds(probability, threshold), threshold


@pytest.mark.parametrize("name,probability", MAPS, ids=[n for n, _ in MAPS])
def test_accept_prediction_with_the_profile_is_bit_identical(name: str, probability: np.ndarray) -> None:
    rng = np.random.default_rng(len(name))
    profile = PredictionProfile.of(probability)
    for start in _masks(probability.shape, rng):
        for threshold in THRESHOLDS:
            plain = AnnotationDocument(start.shape, mask=start.copy(), probability=probability)
            cached = AnnotationDocument(start.shape, mask=start.copy(), probability=probability)
            assert cleanup.accept_prediction(cached, threshold, profile=profile) == \
                cleanup.accept_prediction(plain, threshold)
            np.testing.assert_array_equal(cached.mask, plain.mask)
            assert cached.mask.dtype == plain.mask.dtype == np.uint8
            assert cached.status == plain.status
            assert cached.history.labels() == plain.history.labels()
            steps = [(p.rect, p.nbytes) for p in cached.history.newest.patches] if cached.history.newest else []
            assert steps == ([(p.rect, p.nbytes) for p in plain.history.newest.patches]
                             if plain.history.newest else [])
            cached.undo()
            np.testing.assert_array_equal(cached.mask, start)


def test_a_profile_of_another_shape_is_not_used() -> None:
    probability = np.random.default_rng(3).random((20, 30), np.float32)
    wrong = PredictionProfile.of(np.zeros((30, 20), np.float32))
    assert cleanup.prediction_bounds(probability, 0.5, profile=wrong) == cleanup.prediction_bounds(probability, 0.5)


class Counted(np.ndarray):
    """A view of the probability map that adds the size of each of its arrays a ufunc reads."""

    reads: list[int] = []

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: object, **kwargs: object) -> object:
        Counted.reads += [x.size for x in inputs if isinstance(x, Counted)]
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)


def test_with_the_profile_only_the_box_of_the_prediction_is_read(monkeypatch) -> None:
    probability = np.zeros((600, 800), np.float32)
    probability[500:560, 700:780] = 0.9  # a small plume in a corner, on an empty mask
    profile = PredictionProfile.of(probability)
    prop = AnnotationDocument.probability
    monkeypatch.setattr(AnnotationDocument, "probability", property(lambda d: prop.fget(d).view(Counted)))
    reads = {}
    for way, given in (("map", None), ("profile", profile)):
        doc = AnnotationDocument(probability.shape, probability=probability)
        Counted.reads = []
        assert cleanup.accept_prediction(doc, 0.5, profile=given)
        reads[way] = sum(Counted.reads)
        assert doc.mask.sum() == 60 * 80
    assert reads["map"] >= probability.size  # the row maxima read every pixel
    assert reads["profile"] == 60 * 80  # the box compared once, nothing else


def test_the_cache_reads_the_map_on_a_worker_thread(monkeypatch) -> None:
    threads = record_profile_threads(monkeypatch)
    cache = ProfileCache()
    probability = np.random.default_rng(4).random((50, 60), np.float32)
    cache.prepare(probability)
    cache.prepare(probability)  # prepared already: not read again
    profile = cache.ready(probability)
    assert threads == ["fosp-prediction-profile"]
    assert profile is not None
    np.testing.assert_array_equal(profile.row_max, probability.max(axis=1))
    np.testing.assert_array_equal(profile.col_max, probability.max(axis=0))
    assert cache.ready(probability) is profile and threads == ["fosp-prediction-profile"]


def test_the_cache_answers_only_for_the_map_it_prepared() -> None:
    cache = ProfileCache(size=2)
    rng = np.random.default_rng(5)
    first = rng.random((10, 12), np.float32)
    cache.prepare(first)
    assert cache.ready(first.copy()) is None  # same values, another map: never guessed
    assert cache.ready(None) is None
    assert cache.ready(rng.random((10, 12), np.float32)) is None  # never prepared
    key = id(first)
    del first
    gc.collect()
    for _ in range(50):  # a new map may get the old one's address: the weak reference tells them apart
        other = np.zeros((10, 12), np.float32)
        if id(other) == key:
            break
    assert cache.ready(other) is None
    a, b, c = (rng.random((4, 5), np.float32) for _ in range(3))
    for m in (a, b, c):
        cache.prepare(m)
    assert cache.ready(a) is None  # the oldest of size + 1 let go
    assert cache.ready(b) is not None and cache.ready(c) is not None
    cache.clear()
    assert cache.ready(c) is None
