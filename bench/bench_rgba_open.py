"""Benchmark: opening a 48 MP RGBA PNG (``read_image``), the blend over black as it was (whole-image
uint16, commit 31366b5) against the banded one: peak RSS, numpy's peak (tracemalloc) and wall time.

    python bench/bench_rgba_open.py [--rounds 2]

The photo is ``rgba-8000x6000.png`` of ``bench/huge_photos.py`` (written once under
``/tmp/fosp-huge``). Each measurement runs in a fresh process (``VmHWM`` is per process), before
and after interleaved; the table gives the median over rounds. **peak RSS**: ``VmHWM`` above the
RSS before the read; **numpy peak**: tracemalloc's peak during the read (numpy buffers and Python
bytes, not Pillow's own image memory); both in MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOTO = Path("/tmp/fosp-huge/rgba-8000x6000.png")
BEFORE_COMMIT = "31366b5"


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _use_former_blend() -> None:
    """Swap read_image's pixel conversion for the module as it was at BEFORE_COMMIT."""
    source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:fosp_core/io/image_pixels.py"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("former_image_pixels", f.name)
    assert spec is not None and spec.loader is not None
    former = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(former)
    os.unlink(f.name)
    import fosp_core.io.images as images
    images.pil_to_rgb = former.pil_to_rgb


def measure(variant: str) -> dict[str, float]:
    """One read of PHOTO in this process; `variant` is "before" or "after"."""
    sys.path.insert(0, str(ROOT))
    if variant == "before":
        _use_former_blend()
    from fosp_core.io.images import read_image
    Path("/proc/self/clear_refs").write_text("5")
    base = _rss_mb("VmRSS")
    tracemalloc.start()
    t0 = time.perf_counter()
    loaded = read_image(PHOTO)
    wall = time.perf_counter() - t0
    _, numpy_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert loaded.had_alpha and loaded.rgb.shape == (6000, 8000, 3)
    return {"rss": _rss_mb("VmHWM") - base, "numpy": numpy_peak / 2**20, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=["before", "after"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    if not PHOTO.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from huge_photos import write
        write(PHOTO.parent, PHOTO.name)
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for variant in runs:
            out = subprocess.run([sys.executable, __file__, "--child", variant], check=True,
                                 capture_output=True, text=True).stdout
            runs[variant].append(json.loads(out.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds, median")
    print("| read_image(rgba-8000x6000.png) | peak RSS MB | numpy peak MB | wall s |")
    print("|---|---:|---:|---:|")
    for variant, rows in runs.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        print(f"| {variant} | {med['rss']:.0f} | {med['numpy']:.0f} | {med['wall']:.2f} |")


if __name__ == "__main__":
    main()
