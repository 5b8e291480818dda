"""Benchmark: hashing training image files for a checkpoint's fingerprint (`fosp_core.trained_on`).

1000 files the size of the demo photos (75-100 KB JPEGs: the 4 demo files copied with a distinct
last byte) in a temporary folder. "cold": a fresh `DigestCache` hashes every file (the run's start,
the first Compare / `fosp eval` over the images; the files are in the OS page cache after the first
repeat); "warm": the same cache asked again (a stat per file). Also the fingerprint's metadata size
for 1000 and 6144 images. Prints a table (milliseconds, median and min of the repeats).

    python bench/bench_trained_on.py [--files 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fosp_core.trained_on import DigestCache, TrainedImages, fingerprint  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "JPEGImages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    demo = [p.read_bytes() for p in sorted(DEMO.glob("*.jpg"))]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.files):
            path = Path(tmp) / f"{i:05d}.jpg"
            path.write_bytes(demo[i % len(demo)] + i.to_bytes(4, "little"))
            paths.append(path)
        total_mb = sum(p.stat().st_size for p in paths) / 1e6
        cold, warm = [], []
        for _ in range(args.repeat):
            cache = DigestCache()
            t0 = time.perf_counter()
            found = fingerprint(paths, cache=cache)
            cold.append(1000 * (time.perf_counter() - t0))
            t0 = time.perf_counter()
            fingerprint(paths, cache=cache)
            warm.append(1000 * (time.perf_counter() - t0))
        assert len(found.hashes) == args.files
    big = TrainedImages(frozenset(f"{i:016x}" for i in range(6144))).to_metadata()
    print(f"{args.files} files, {total_mb:.1f} MB; load average {os.getloadavg()[0]:.2f}")
    print("| what | median ms | min ms |")
    print("|---|---|---|")
    print(f"| hash {args.files} files (fresh cache) | {statistics.median(cold):.1f} | {min(cold):.1f} |")
    print(f"| again, cached (stat only) | {statistics.median(warm):.1f} | {min(warm):.1f} |")
    print(f"metadata: {len(found.to_metadata())} bytes for {args.files} images, {len(big)} bytes for 6144")


if __name__ == "__main__":
    main()
