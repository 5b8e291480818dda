"""Benchmark: hashing training image files for a checkpoint's fingerprint (`fosp_core.trained_on`).

1000 files the size of the demo photos (75-100 KB JPEGs: the 4 demo files copied with a distinct
last byte) in a temporary folder. "cold": a fresh `DigestCache` hashes every file (the run's start,
the first Compare / `fosp eval` over the images; the files are in the OS page cache after the first
repeat); "warm": the same cache asked again (a stat per file). Also the fingerprint's metadata size
for 1000 and 6144 images. Prints a table (milliseconds, median and min of the repeats).

    python bench/bench_trained_on.py [--files 1000] [--repeat 7]
    python bench/bench_trained_on.py --smoke5k [--repeat 3]

--smoke5k: SMOKE5K's training photos (`../shared/data/smoke5k-train/img`, read only), a table of
files, MB and seconds: "cold-ish" (each file's pages dropped from the OS page cache first with
posix_fadvise DONTNEED: a photo not read since boot, as far as a user can arrange it), "warm" (the
files in the page cache, a fresh `DigestCache`: what every run's start paid before the hashing moved
off it), "resume" (a run folder's digest file, `fosp_core.train.fingerprint_job`: a stat per file)
and what the trainer's start waits for now (the thread started, `FingerprintJob`).
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


SMOKE5K = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train" / "img"


def _drop_from_page_cache(paths: list[Path]) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def smoke5k(repeat: int) -> None:
    """The SMOKE5K table (see the module doc)."""
    from fosp_core.train.fingerprint_job import DIGEST_FILE, FingerprintJob, read_digests, write_digests
    from fosp_core.train.sources import Source

    paths = sorted(SMOKE5K.glob("*.jpg"))
    mb = sum(p.stat().st_size for p in paths) / 1e6
    times: dict[str, list[float]] = {"cold-ish": [], "warm": [], "resume": [], "start waits": []}
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        for _ in range(repeat):
            _drop_from_page_cache(paths)
            t0 = time.perf_counter()
            fingerprint(paths, cache=DigestCache())
            times["cold-ish"].append(time.perf_counter() - t0)
            cache = DigestCache()
            t0 = time.perf_counter()
            fingerprint(paths, cache=cache)
            times["warm"].append(time.perf_counter() - t0)
            write_digests(run_dir / DIGEST_FILE, cache)
            t0 = time.perf_counter()
            fingerprint(paths, cache=DigestCache(read_digests(run_dir / DIGEST_FILE)))
            times["resume"].append(time.perf_counter() - t0)
            source = Source("smoke5k", 1.0, len(paths), lambda rng: None, image_paths=tuple(paths))  # type: ignore[arg-type,return-value]
            t0 = time.perf_counter()
            job = FingerprintJob([source], "", None, False, run_dir / "fresh")
            times["start waits"].append(time.perf_counter() - t0)
            job.result()
    print(f"SMOKE5K: {len(paths)} files, {mb:.0f} MB; {repeat} repeats; load average {os.getloadavg()[0]:.2f}")
    print("| hashing the training files | median s | min s |")
    print("|---|---|---|")
    for name, got in times.items():
        print(f"| {name} | {statistics.median(got):.3f} | {min(got):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--smoke5k", action="store_true", help="SMOKE5K's training photos (see the module doc)")
    args = parser.parse_args()
    if args.smoke5k:
        smoke5k(args.repeat)
        return
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
