"""How long the project's save thread takes to write one mask's PNG at 12 / 48 / 96 MP.

    python bench/bench_mask_png_write.py [--repeats 5] [--labels 3]

The save thread's work for a mask after the recovery log's fsync (`fosp_core.annotation.mask_saves._write`):
`encode_mask_png(mask, compress_level=1)`, the atomic write (temp file, fsync, rename, folder fsync:
`fosp_core.annotation.storage.atomic_write`), `file_signature` and `smoke_ratio_of`. The README's
crash-safety paragraph quotes it: an OS crash loses the commits made while the save thread is busy.
Masks are SMOKE5K labels (../shared/data/smoke5k-train/gt, 1024×768) scaled up with nearest
neighbours (long runs, as a painted mask has), written into a temporary folder; sizes interleaved
sample by sample (the machine is shared). Prints a table: median (min-max) in ms, wall time and the
thread's CPU time (`time.thread_time`: what a loaded machine does not stretch).
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

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from fosp_core.annotation.project_documents import smoke_ratio_of  # noqa: E402
from fosp_core.annotation.project_files import file_signature  # noqa: E402
from fosp_core.annotation.storage import atomic_write  # noqa: E402
from fosp_core.io.masks import encode_mask_png  # noqa: E402

LABELS = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train" / "gt"
SIZES = {"12 MP": (3000, 4000), "48 MP": (6000, 8000), "96 MP": (8000, 12000)}


def _masks(count: int, shape: tuple[int, int]) -> list[np.ndarray]:
    every = sorted(LABELS.glob("*.png"))
    paths = every[:: max(1, len(every) // count)][:count]
    out = []
    for path in paths:
        label = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        out.append(cv2.resize((label > 0).astype(np.uint8), shape[::-1], interpolation=cv2.INTER_NEAREST))
    return out


def one_save(mask: np.ndarray, path: Path) -> tuple[float, float, float, float]:
    """(encode, write, all, all's CPU time) in ms for the save thread's work on `mask` (see the module doc)."""
    c0 = time.thread_time()
    t0 = time.perf_counter()
    data = encode_mask_png(mask, compress_level=1)
    t1 = time.perf_counter()
    atomic_write(path, data)
    t2 = time.perf_counter()
    file_signature(path)
    smoke_ratio_of(mask)
    t3 = time.perf_counter()
    return 1000 * (t1 - t0), 1000 * (t2 - t1), 1000 * (t3 - t0), 1000 * (time.thread_time() - c0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--labels", type=int, default=3)
    args = parser.parse_args()
    masks = {name: _masks(args.labels, shape) for name, shape in SIZES.items()}
    runs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in SIZES}
    with tempfile.TemporaryDirectory(prefix="fosp-bench-png-") as tmp:
        for _ in range(args.repeats):
            for i in range(args.labels):
                for name in SIZES:
                    runs[name].append(one_save(masks[name][i], Path(tmp) / f"{name[:2].strip()}-{i}.png"))
        sizes = {name: os.path.getsize(Path(tmp) / f"{name[:2].strip()}-0.png") for name in SIZES}
    print(f"# {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {args.labels} labels x {args.repeats} "
          "repeats a size; median (min-max) ms")
    print(f"{'mask':6} {'PNG KiB':>8} {'encode (level 1)':>20} {'atomic write + fsync':>22} {'save thread, all':>20} {'its CPU time':>16}")
    for name, rows in runs.items():
        cells = []
        for k in range(4):
            vals = [r[k] for r in rows]
            cells.append(f"{statistics.median(vals):.0f} ({min(vals):.0f}-{max(vals):.0f})")
        print(f"{name:6} {sizes[name] / 1024:8.0f} {cells[0]:>20} {cells[1]:>22} {cells[2]:>20} {cells[3]:>16}")


if __name__ == "__main__":
    main()
