"""Benchmark: the first commit's whole-mask recovery record (`fosp_core.annotation.mask_saves.record_commit`
on an image whose mask file does not hold the state before it: the record keeps the whole mask,
`fosp_core.annotation.recovery_records.encode_record`) on huge photos.

    python bench/bench_first_commit_record.py [--sizes 4000x3000 8000x6000] [--rounds 5]

Masks: a real SMOKE5K photo's label upscaled (``bench/huge_photos.py``; what an Accept sets), the same
with a 9-pixel ignore band around the smoke, and a 1-pixel stroke on an empty mask (a first stroke).
"encode before" is the encoder of 013df07 (copied here: compare, packbits, base64 of every band),
"encode now" the package's; the two alternate round by round in one process, and their bytes are
checked equal. Prints a markdown table of medians (ms). The whole save of a first commit (the
record, its append, the whole-mask copy for the PNG writer) is ``bench/bench_commit_save.py``'s
first Accept.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fosp_core.annotation.recovery_records import encode_record  # noqa: E402

_BAND = 1 << 18


def encode_before(mask: np.ndarray, rect: tuple[int, int, int, int], status: str) -> bytes:
    """The record as 013df07 encoded it (every band compared, packed and base64-encoded)."""
    import json

    y0, y1, x0, x1 = rect
    head = json.dumps({"format": 1, "shape": [int(mask.shape[0]), int(mask.shape[1])], "rect": [y0, y1, x0, x1],
                       "status": status}, separators=(",", ":")).encode("ascii")[:-1]
    rows = max(24, (_BAND // max(x1 - x0, 1)) // 24 * 24)
    smoke: list[bytes] = []
    ignore: list[bytes] = []
    for r in range(y0, y1, rows):
        band = mask[r:min(r + rows, y1), x0:x1]
        smoke.append(base64.b64encode(np.packbits(band == 1)))
        ignore.append(base64.b64encode(np.packbits(band == 255)))
    return b"".join([head, b',"smoke":"', *smoke, b'","ignore":"', *ignore, b'"}\n'])


def masks(width: int, height: int) -> dict[str, np.ndarray]:
    import cv2
    from huge_photos import PHOTOS, photo

    _, label = photo(PHOTOS[0], width, height)
    band = cv2.dilate(label, np.ones((19, 19), np.uint8))
    with_ignore = np.where(label == 1, 1, np.where(band == 1, 255, 0)).astype(np.uint8)
    stroke = np.zeros((height, width), np.uint8)
    stroke[height // 2, width // 2] = 1
    return {"accept (label)": label, "label + ignore band": with_ignore, "1-pixel stroke": stroke}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["4000x3000", "8000x6000"])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]
    rows = []
    for size in args.sizes:
        width, height = (int(v) for v in size.split("x"))
        for name, mask in masks(width, height).items():
            rect = (0, height, 0, width)
            times: dict[str, list[float]] = {"before": [], "now": []}
            for i in range(args.rounds):
                for which in (("before", "now") if i % 2 == 0 else ("now", "before")):
                    start = time.perf_counter()
                    line = (encode_before(mask, rect, "edited") if which == "before"
                            else encode_record(mask, rect, "edited"))
                    times[which].append((time.perf_counter() - start) * 1000)
                    del line
            if encode_before(mask, rect, "edited") != encode_record(mask, rect, "edited"):
                raise SystemExit(f"{size} {name}: the records differ")
            rows.append((size, name, statistics.median(times["before"]), statistics.median(times["now"])))
            loads.append(os.getloadavg()[0])
            print(rows[-1], file=sys.stderr, flush=True)
    print(f"{args.rounds} rounds, medians (ms), CPU {os.cpu_count()} cores, load average "
          f"{min(loads):.1f}-{max(loads):.1f}\n")
    print("| photo | mask | encode before | encode now |")
    print("|---|---|---|---|")
    for size, name, before, now in rows:
        print(f"| {size} | {name} | {before:.1f} | {now:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
