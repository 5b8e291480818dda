"""What the autosave's mask check costs: :func:`fosp_core.io.masks._check_mask` (the value check every
``encode_mask_png`` makes) against the ways it could be written, on a 4000x3000 mask.

    python bench/bench_mask_check.py [--repeats 20]

Each way is timed (median of `--repeats` runs, after one warm-up) and its peak numpy/Python memory is
read with tracemalloc (OpenCV's own buffers are not seen). The unit test
(tests/unit/test_annotation_tools_qa.py) checks the memory only: a time in a test flakes on a shared
machine. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import cv2
import numpy as np

from fosp_core.data.types import IGNORE, SMOKE
from fosp_core.io.masks import _check_mask


def _mask() -> np.ndarray:
    mask = np.zeros((3000, 4000), np.uint8)
    mask[1000:2000, 1000:2500] = SMOKE
    mask[:10] = IGNORE
    return mask


def _measure(work: Callable[[], object], repeats: int) -> tuple[float, int]:
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    mask = _mask()
    ways: dict[str, Callable[[], object]] = {
        "_check_mask (cv2.calcHist)": lambda: _check_mask(mask, "<memory>"),
        "np.bincount (the old check)": lambda: np.bincount(mask.ravel(), minlength=256),
        "np.unique": lambda: np.unique(mask),
        "one mask == v per value (3)": lambda: [np.count_nonzero(mask == v) for v in (0, SMOKE, IGNORE)],
        "cv2.calcHist alone": lambda: cv2.calcHist([mask], [0], None, [256], [0, 256]),
    }
    print(f"4000x3000 uint8 mask, median of {args.repeats}\n")
    print("| check | ms | peak traced MB |")
    print("|---|---:|---:|")
    for name, work in ways.items():
        seconds, peak = _measure(work, args.repeats)
        print(f"| {name} | {seconds * 1000:.1f} | {peak / 1e6:.1f} |")


if __name__ == "__main__":
    main()
