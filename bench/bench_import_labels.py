"""Benchmark: Annotate ▸ Import Labels of 300 demo-sized masks (512 x 512 PNGs, a folder named by
image stem) into a project of 300 images: masks/s and the GUI thread's longest turn.

    python bench/bench_import_labels.py [--rounds 2] [--count 300] [--before TREE]

Each measurement runs in a fresh process (an offscreen 1280 x 800 window, no model): the folder of
images is opened, its first document shown, then ``window.annotation.import_labels(masks)`` runs
(the whole import until the documents are reloaded). **GUI ms** is the longest gap between two
ticks of a 1 ms QTimer on the GUI thread over the import (before: the import ran on the GUI thread,
one turn as long as the import); **masks/s** the masks imported over the wall time. ``--before``
names a checkout of the code before (e.g. ``git archive e4b752d | tar -x -C /tmp/j_before``) whose
``app`` and ``fosp_core`` the "before" children import; before and after interleaved, median.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "resources" / "demo"


def make_inputs(root: Path, count: int) -> tuple[Path, Path]:
    """`count` images (the demo's JPEGs, renamed) and a mask for each, under `root`."""
    images, masks = root / "images", root / "masks"
    images.mkdir(parents=True)
    masks.mkdir()
    jpegs = sorted((DEMO / "JPEGImages").glob("*.jpg"))
    for i in range(count):
        jpeg = jpegs[i % len(jpegs)]
        shutil.copyfile(jpeg, images / f"img_{i:04d}.jpg")
        shutil.copyfile(DEMO / "SegmentationClass" / f"{jpeg.stem}.png", masks / f"img_{i:04d}.png")
    return images, masks


def measure(root: Path) -> dict[str, float]:
    """One import in this process (the `app` on sys.path: this tree's or --before's)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Services(settings=QSettings(str(root / "s.ini"), QSettings.Format.IniFormat),
                                 error_reporter=CollectingErrorReporter()))
    controller = window.annotation.controller
    controller.registry.projects_root = root / "projects"
    window.resize(1280, 800)
    window.show()
    window.open_paths([root / "images"], remember=False)
    end = time.perf_counter() + 300
    while controller.document is None and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)
    assert controller.document is not None, "the folder did not open"
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    start = last[0] = time.perf_counter()
    imported = window.annotation.import_labels(root / "masks")
    wall = time.perf_counter() - start
    tick()  # the gap that ends with the import (the whole import, when it ran on the GUI thread)
    timer.stop()
    window.close()
    return {"gui": max(gaps), "rate": imported / wall, "wall": wall * 1000, "imported": imported}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child))))
        return
    trees = {"after": HERE.parent} | ({"before": args.before.resolve()} if args.before else {})
    runs: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.rounds):
        for variant in sorted(trees, reverse=True):  # before first, then after
            with tempfile.TemporaryDirectory(prefix="fosp-import-bench-") as tmp:
                make_inputs(Path(tmp), args.count)
                env = dict(os.environ, PYTHONPATH=str(trees[variant]), QT_QPA_PLATFORM="offscreen")
                out = subprocess.run([sys.executable, __file__, "--child", tmp], check=True, capture_output=True,
                                     text=True, env=env, cwd=trees[variant]).stdout
                row = json.loads(out.strip().splitlines()[-1])
                assert row["imported"] == args.count, row
                runs.setdefault(variant, []).append(row)
    print(f"load average {os.getloadavg()[0]:.1f}; {args.count} masks of 512 x 512; {args.rounds} rounds, median")
    print("| import | masks/s | wall ms | GUI thread's longest turn ms |")
    print("|---|---:|---:|---:|")
    for variant, rows in runs.items():
        print(f"| {variant} | {statistics.median(r['rate'] for r in rows):.0f} | "
              f"{statistics.median(r['wall'] for r in rows):.0f} | {statistics.median(r['gui'] for r in rows):.0f} |")


if __name__ == "__main__":
    main()
