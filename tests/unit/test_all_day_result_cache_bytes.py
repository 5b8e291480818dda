"""An all-day session: the analysis view's result cache holds a bounded amount of memory, not only a
bounded number of results (64 predictions of 1920x1080 images with every map were ~4 GB)."""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

from fosp_core.analysis.results import ResultCache, ResultKey
from fosp_core.infer.result import Prediction

GIB = 1 << 30


def nbytes(prediction: Prediction) -> int:
    arrays = [prediction.probability, prediction.focus_map, prediction.hole, prediction.background,
              *prediction.foreground_energy.values(), *prediction.side_maps.values()]
    return sum(a.nbytes for a in arrays if a is not None)


def held(cache: ResultCache) -> int:
    """Bytes of the arrays of every result `cache` holds."""
    return sum(nbytes(p) for p in cache._items.values())


def zeros(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """An array of zeros whose pages are never touched: an anonymous mapping of its own. `np.zeros` of these
    sizes (8 MB) came from glibc's heap once its mmap threshold had grown (32 MiB after a big free), which
    clears them: ~2.7 GB written for the test's 41 predictions (~2 s of the suite's durations)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    return np.ndarray(shape, dtype, buffer=mmap.mmap(-1, size))


def full_hd_prediction() -> Prediction:
    """A 1920x1080 prediction with every map (zeros never touched)."""
    h, w = 1080, 1920
    maps = {stride: zeros((h, w), np.float32) for stride in (32, 16, 8, 4)}
    return Prediction(zeros((h, w), np.float32), zeros((h, w), np.float32), zeros((h, w), bool),
                      zeros((h, w, 3), np.uint8), maps, {f"g{s}": zeros((h, w), np.float32) for s in maps},
                      tau=0.15)


def test_a_day_of_full_hd_results_stays_under_the_byte_budget() -> None:
    cache = ResultCache()
    size = nbytes(full_hd_prediction())
    assert size > 60_000_000
    for i in range(40):  # 40 images visited and predicted
        cache.put(ResultKey.make(Path(f"/day/{i:03d}.jpg"), "m", 0.15), full_hd_prediction())
        assert held(cache) <= GIB  # was 40 x 66 MB = 2.6 GB (64 results, whatever their size)
    from fosp_core.analysis.results import DEFAULT_RESULT_BYTES

    assert cache.nbytes == held(cache) <= DEFAULT_RESULT_BYTES
    assert len(cache) == DEFAULT_RESULT_BYTES // size  # the most recent ones
    assert cache.get(ResultKey.make(Path("/day/039.jpg"), "m", 0.15)) is not None
    assert cache.get(ResultKey.make(Path("/day/000.jpg"), "m", 0.15)) is None


def test_the_newest_result_stays_whatever_its_size() -> None:
    cache = ResultCache(max_bytes=1000)
    cache.put(ResultKey.make(Path("/a.jpg"), "m", None), full_hd_prediction())
    cache.put(ResultKey.make(Path("/b.jpg"), "m", None), full_hd_prediction())
    assert len(cache) == 1 and cache.latest_for(Path("/b.jpg"), "m") is not None
    cache.put(ResultKey.make(Path("/b.jpg"), "m", None), full_hd_prediction())  # replaced, counted once
    assert cache.nbytes == held(cache) == nbytes(full_hd_prediction())
    cache.clear()
    assert cache.nbytes == 0 and len(cache) == 0
