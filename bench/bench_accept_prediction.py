"""Benchmark: Accept Prediction (Shift+A, ``fosp_core.annotation.cleanup.accept_prediction``) on a
4000x3000 image, what it holds the GUI thread for; the implementation before (the whole prediction,
then ``replace_mask``) and now, interleaved run by run.

The probability is made from a real SMOKE5K photo's label (``../shared/data/smoke5k-train``, upscaled
to the size, blurred, plus smooth noise: smoke with real edges), the starting mask is

* empty: an unlabeled image (what Shift+A is mostly for);
* label: the image's label (a mask someone drew; the prediction differs at the edges);
* corner: a small plume (a 300x400 box in a corner) on an empty mask: early smoke.

Prints a markdown table: median and p90 ms, and the peak of numpy's allocations (tracemalloc).

    python bench/bench_accept_prediction.py [--repeats 9] [--size 4000x3000] [--photo NAME]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from fosp_core.annotation import cleanup  # noqa: E402
from fosp_core.annotation.document import AnnotationDocument, Status  # noqa: E402

SMOKE5K = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train"
PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"  # a real camera photo, 12 % smoke


def old_accept(doc: AnnotationDocument, threshold: float = 0.5) -> bool:
    """``accept_prediction`` before: the whole prediction (bool, then uint8), ``replace_mask``."""
    new_mask = (np.asarray(doc.probability) > threshold).astype(np.uint8)
    with doc.history_block("accept prediction"):
        changed = doc.replace_mask(new_mask, label="accept prediction")
        if changed or doc.status == Status.UNLABELED:
            doc.set_status(Status.PREDICTED)
            changed = True
    return changed


def scene(photo: str, width: int, height: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{case: (probability, starting mask)}."""
    gt = cv2.imread(str(SMOKE5K / "gt" / f"{photo}.png"), cv2.IMREAD_GRAYSCALE)
    if gt is None:
        raise SystemExit(f"no label {photo} under {SMOKE5K}")
    label = cv2.resize((gt > 127).astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur(label.astype(np.float32), (0, 0), width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    corner = np.zeros((height, width), np.float32)
    plume = cv2.GaussianBlur(np.pad(np.ones((200, 300), np.float32), 50), (0, 0), 20)
    corner[height - 300:, width - 400:] = plume
    empty = np.zeros((height, width), np.uint8)
    return {"empty": (probability, empty), "label": (probability, label), "corner": (corner, empty)}


def run(accept: Callable[[AnnotationDocument, float], bool], probability: np.ndarray,
        mask: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(ms, peak MB, the accepted mask) of one Accept Prediction on a fresh document."""
    doc = AnnotationDocument(mask.shape, mask=mask, probability=probability)
    tracemalloc.start()
    start = time.perf_counter()
    accept(doc, 0.5)
    took = (time.perf_counter() - start) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, peak / 1e6, doc.mask.copy()


def timed(accept: Callable[[AnnotationDocument, float], bool], probability: np.ndarray, mask: np.ndarray) -> float:
    doc = AnnotationDocument(mask.shape, mask=mask, probability=probability)
    start = time.perf_counter()
    accept(doc, 0.5)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--photo", default=PHOTO, help="SMOKE5K image name")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    cases = scene(args.photo, width, height)
    ways = {"before": old_accept, "now": cleanup.accept_prediction}
    rows = []
    load_before = os.getloadavg()[0]
    for case, (probability, mask) in cases.items():
        peaks = {}
        results = {}
        for way, accept in ways.items():
            _, peaks[way], results[way] = run(accept, probability, mask)
        if not np.array_equal(results["before"], results["now"]):
            raise SystemExit(f"{case}: the accepted masks differ")
        times: dict[str, list[float]] = {way: [] for way in ways}
        for i in range(args.repeats):  # interleaved, the order alternating
            for way in (list(ways) if i % 2 == 0 else list(ways)[::-1]):
                times[way].append(timed(ways[way], probability, mask))
        rows.append((case, times, peaks))
    load = (load_before + os.getloadavg()[0]) / 2
    print(f"Accept Prediction on {width}x{height} ({args.photo}), {args.repeats} runs each, before / now "
          f"interleaved; CPU {os.cpu_count()} cores, load average {load:.1f}\n")
    print("| start mask | median ms | p90 ms | peak numpy MB |")
    print("|---|---|---|---|")
    for case, times, peaks in rows:
        cells = []
        for stat in ("median", "p90"):
            values = [statistics.median(times[w]) if stat == "median"
                      else sorted(times[w])[int(0.9 * (len(times[w]) - 1))] for w in ways]
            cells.append(" / ".join(f"{v:.1f}" for v in values))
        cells.append(" / ".join(f"{peaks[w]:.1f}" for w in ways))
        print(f"| {case} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
