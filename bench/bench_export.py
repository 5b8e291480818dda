"""Benchmark: exporting a project as a SmokeSeg dataset (``export_smokeseg``: ``fosp project export``
and the app's Export dialog) of a few hundred generated images, before and now interleaved run by run:

* before (48c5299, its ``fosp_core/annotation/export.py`` read from git): each mask read twice, once
  to choose the images (``Project.load_mask`` in the check loop), again to write them;
* now: one pass, each mask read once as its image is written, the splits planned after.

The images are generated (smooth noise, JPEG quality 95, upright: the export copies them byte for
byte) with a plume-like mask each (0/1, an ignore band at the bottom of one in ten), written as a
SmokeSeg dataset in a temporary folder, opened as a project, the labels imported (status
PREDICTED). Each run exports everything with new splits 0.8/0.1/0.1 (seed 0) to a fresh folder. The
outputs of before and now are checked to be the same files, byte for byte.

Prints a markdown table: median and p90 seconds per export, ms per image, mask reads per image.

    python bench/bench_export.py [--images 300] [--size 1024x768] [--repeats 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from fosp_core.annotation import export  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402
from fosp_core.data.smokeseg import write_smokeseg  # noqa: E402
from fosp_core.data.types import Sample  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "48c5299"
Export = Callable[..., export.ExportReport]


def before_module() -> ModuleType:
    """``fosp_core/annotation/export.py`` as of `BEFORE`, imported under another name."""
    source = subprocess.run(["git", "show", f"{BEFORE}:fosp_core/annotation/export.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("export_before", loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["export_before"] = module  # dataclasses look their module up
    exec(compile(source, f"{BEFORE}:export.py", "exec"), module.__dict__)  # noqa: S102 - the project's own file
    return module


def generated(n: int, width: int, height: int) -> list[Sample]:
    """`n` samples: smooth-noise RGB images and plume masks (see module doc)."""
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        small = rng.integers(0, 256, (height // 32 + 1, width // 32 + 1, 3), dtype=np.uint8)
        image = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
        mask = np.zeros((height, width), np.uint8)
        cx, cy = int(rng.integers(width // 5, 4 * width // 5)), int(rng.integers(height // 5, 4 * height // 5))
        axes = (int(rng.integers(20, width // 4)), int(rng.integers(20, height // 4)))
        cv2.ellipse(mask, (cx, cy), axes, float(rng.integers(0, 180)), 0, 360, 1, -1)
        if i % 10 == 0:
            mask[-20:] = 255
        out.append(Sample(f"gen_{i:04d}", image, mask))
    return out


def count_reads() -> list[int]:
    """Wrap ``Project.load_mask`` to count its calls (the returned one-item list)."""
    counter = [0]
    load = Project.load_mask

    def counting(self: Project, image_id: str) -> np.ndarray | None:
        counter[0] += 1
        return load(self, image_id)

    Project.load_mask = counting  # type: ignore[method-assign]
    return counter


def same_files(a: Path, b: Path) -> bool:
    """Whether folders `a` and `b` hold the same files with the same bytes."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--size", default="1024x768")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    ways: dict[str, Export] = {"before": before_module().export_smokeseg, "now": export.export_smokeseg}
    reads = count_reads()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp_name:
        tmp = Path(tmp_name)
        write_smokeseg(generated(args.images, width, height), tmp / "source")
        project = Project.open(tmp / "source", tmp / "project")
        project.import_labels()
        times: dict[str, list[float]] = {way: [] for way in ways}
        per_image: dict[str, float] = {}
        loads = [os.getloadavg()[0]]
        for i in range(args.repeats):  # interleaved, the order alternating
            for way in (list(ways) if i % 2 == 0 else list(ways)[::-1]):
                reads[0] = 0
                start = time.perf_counter()
                report = ways[way](project, tmp / f"{way}-{i}", splits=(0.8, 0.1, 0.1), seed=0)
                times[way].append(time.perf_counter() - start)
                per_image[way] = reads[0] / report.count
            if not same_files(tmp / f"before-{i}", tmp / f"now-{i}"):
                raise SystemExit(f"run {i}: the exports differ")
            loads.append(os.getloadavg()[0])
        project.close()
    print(f"Export of {args.images} generated {width}x{height} images (SmokeSeg, new splits), {args.repeats} "
          f"runs each, {' / '.join(ways)} interleaved; CPU {os.cpu_count()} cores, load average "
          f"{min(loads):.1f}-{max(loads):.1f}\n")
    print("| way | median s | p90 s | median ms per image | mask reads per image |")
    print("|---|---|---|---|---|")
    for way, values in times.items():
        p90 = sorted(values)[int(0.9 * (len(values) - 1))]
        median = statistics.median(values)
        print(f"| {way} | {median:.2f} | {p90:.2f} | {median * 1000 / args.images:.1f} | {per_image[way]:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
