"""What saving a video frame's mask costs on the GUI thread at each commit (a stroke, undo/redo, accept
prediction): the PNG encode and the atomic, fsync'ed write of ``VideoAnnotations.save_mask``.

    python bench/bench_video_frame_save.py [--repeats 7]

"old" encodes with Pillow (``encode_mask_png(mask, compress_level=1)``, what save_mask used before
session 27); "new" with ``fosp_core.video.mask_png.encode_frame_mask_png`` (filter 0, zlib run-length
strategy, no whole-mask copy). The two alternate, repeat by repeat, on the same mask (a plume-like
disc of smoke and an ignore band). Medians in ms over --repeats; the file's size in KiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from fosp_core.annotation.storage import atomic_write  # noqa: E402
from fosp_core.io.masks import encode_mask_png  # noqa: E402
from fosp_core.video.mask_png import encode_frame_mask_png  # noqa: E402

SIZES = [(720, 960), (1080, 1920), (2160, 3840), (3000, 4000)]


def plume(height: int, width: int) -> np.ndarray:
    """A disc of smoke a fifth of the frame across, and an ignore band near the top."""
    mask = np.zeros((height, width), np.uint8)
    yy, xx = np.ogrid[:height, :width]
    mask[(yy - height // 2) ** 2 + (xx - width // 2) ** 2 < (min(height, width) // 5) ** 2] = 1
    mask[height // 20:height // 10, width // 10:width * 3 // 4] = 255
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    ways = {"old": lambda m: encode_mask_png(m, compress_level=1), "new": encode_frame_mask_png}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.repeats} (ms)")
    print(f"{'frame':>10} {'old encode':>11} {'old save':>9} {'KiB':>5} {'new encode':>11} {'new save':>9} {'KiB':>5}")
    with tempfile.TemporaryDirectory(dir=ROOT.parent if os.access(ROOT.parent, os.W_OK) else None) as tmp:
        folder = Path(tmp)
        for height, width in SIZES:
            mask = plume(height, width)
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
            sizes: dict[str, int] = {}
            for _ in range(args.repeats):
                for name, encode in ways.items():
                    start = time.perf_counter()
                    data = encode(mask)
                    encoded = time.perf_counter()
                    atomic_write(folder / f"{name}.png", data)
                    times[name].append((encoded - start, time.perf_counter() - start))
                    sizes[name] = len(data)
            cells = []
            for name in ways:
                cells += [f"{1000 * statistics.median(e for e, _ in times[name]):11.1f}",
                          f"{1000 * statistics.median(s for _, s in times[name]):9.1f}", f"{sizes[name] // 1024:5d}"]
            print(f"{width:>5}×{height:<4} " + " ".join(cells))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
