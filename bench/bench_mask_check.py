"""What the autosave's mask check costs: :func:`fosp_core.io.masks._check_mask` (the value check every
``encode_mask_png`` makes) against the ways it could be written, on a 4000x3000 mask.

    python bench/bench_mask_check.py [--repeats 20]

Each way is timed (median of `--repeats` runs, after one warm-up; the ways take turns, one run of each
per round, so a change in the machine's load falls on all of them) and its peak numpy/Python memory is
read with tracemalloc (OpenCV's own buffers are not seen). "cv2.calcHist alone" is the check before
the add-and-minimum blocks (what it costs on a clean mask). The unit test
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


def _measure(ways: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, int]]:
    """Median seconds (the ways interleaved, one run each per round) and peak traced bytes of each."""
    for work in ways.values():
        work()
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeats):
        for name, work in ways.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    results = {}
    for name, work in ways.items():
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            work()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        results[name] = (statistics.median(times[name]), peak)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    mask = _mask()
    ways: dict[str, Callable[[], object]] = {
        "_check_mask (add 254, minimum, 256 KiB blocks)": lambda: _check_mask(mask, "<memory>"),
        "np.bincount (the old check)": lambda: np.bincount(mask.ravel(), minlength=256),
        "np.unique": lambda: np.unique(mask),
        "one mask == v per value (3)": lambda: [np.count_nonzero(mask == v) for v in (0, SMOKE, IGNORE)],
        "cv2.calcHist alone (the check before)": lambda: cv2.calcHist([mask], [0], None, [256], [0, 256]),
    }
    print(f"4000x3000 uint8 mask, median of {args.repeats}\n")
    print("| check | ms | peak traced MB |")
    print("|---|---:|---:|")
    for name, (seconds, peak) in _measure(ways, args.repeats).items():
        print(f"| {name} | {seconds * 1000:.1f} | {peak / 1e6:.1f} |")


if __name__ == "__main__":
    main()
