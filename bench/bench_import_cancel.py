"""Benchmark: Cancel (or closing the window) while Import Labels still parses a big COCO file: the
time from the click to the window being free, and the GUI thread's longest turn meanwhile.

    python bench/bench_import_cancel.py [--mb 200] [--rounds 2] [--before TREE]

A COCO instances file of about ``--mb`` MB (512 x 512 images, one uncompressed-RLE crowd
annotation each, ~300 runs: the bulk of a large export) is written once. Each measurement runs in
a fresh process (an offscreen window on 4 demo images, no model): ``start_import(file)``, then,
one second later by a QTimer (the user's click, queued like one), the progress dialog's Cancel
(**cancel**) or ``window.close()`` (**close**). **free ms**: from that second to the import's end
(``ended``; for close, to ``close()`` returning); **GUI ms**: the longest gap between two ticks of a
1 ms QTimer from the start to then; **RSS MB**: the child's peak. **read**: the whole file read by
`read_foreign` in a child without a window (the parse's own speed, not cancelled; ms in the
"free" column). ``--before`` names a checkout of
the code before (``git archive 35d5228 | tar -x -C /tmp/c27_before``) whose ``app`` and
``fosp_core`` the "before" children import; before and after interleaved, median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "resources" / "demo"
CLICK_S = 1.0


def write_coco(path: Path, megabytes: float) -> int:
    """A COCO file of about `megabytes` MB; returns its annotation count."""
    rng = random.Random(0)
    size = 512 * 512
    count = int(megabytes * 1e6 / 1750)
    with path.open("w", encoding="utf-8") as out:
        images = [{"id": i, "file_name": f"frame_{i:05d}.jpg", "height": 512, "width": 512} for i in range(1000)]
        out.write('{"info": {"description": "bench"}, "images": ' + json.dumps(images)
                  + ', "categories": [{"id": 1, "name": "smoke"}], "annotations": [')
        for i in range(count):
            runs = [rng.randint(1, 1700) for _ in range(299)]
            runs.append(size - sum(runs))
            while runs[-1] < 0:  # rare: the runs overran the image; shorten the first ones
                runs[runs.index(max(runs[:-1]))] //= 2
                runs[-1] = size - sum(runs[:-1])
            out.write(("," if i else "") + json.dumps({"id": i, "image_id": i % 1000, "category_id": 1, "iscrowd": 1,
                                                       "segmentation": {"size": [512, 512], "counts": runs}}))
        out.write("]}")
    return count


def read_whole(coco: Path) -> dict[str, float]:
    """`read_foreign` of the whole file, not cancelled (after: its cancel asked all along)."""
    import inspect

    from fosp_core.annotation.foreign_labels import read_foreign

    start = time.perf_counter()
    if len(inspect.signature(read_foreign).parameters) > 1:
        labels = read_foreign(coco, lambda: False)
    else:
        labels = read_foreign(coco)
    wall = (time.perf_counter() - start) * 1000
    assert labels is not None and sum(len(i.shapes) for i in labels.images)
    return {"free": wall, "gui": float("nan"), "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(root: Path, coco: Path, how: str) -> dict[str, float]:
    """One import cancelled (`how`: "cancel" or "close") in this process (this tree's `app` or --before's);
    "read": the whole file read, no window (`read_whole`)."""
    if how == "read":
        return read_whole(coco)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

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
    imports = window.annotation.imports
    gaps: list[float] = []
    last = [time.perf_counter()]
    freed: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        if not freed:
            gaps.append((now - last[0]) * 1000)
        last[0] = now

    def click() -> None:
        if how == "cancel":
            imports.dialog.findChild(QPushButton).click()
        else:
            window.close()
            freed.append(time.perf_counter())

    imports.ended.connect(lambda _report: freed.append(time.perf_counter()) if not freed else None)
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    start = last[0] = time.perf_counter()
    assert window.annotation.start_import(coco)
    QTimer.singleShot(int(CLICK_S * 1000), click)
    while not freed and time.perf_counter() < start + 600:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    if how == "cancel":
        window.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"free": (freed[0] - start - CLICK_S) * 1000, "gui": max(gaps), "rss": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]), args.child[2])))
        return
    trees = {"after": HERE.parent} | ({"before": args.before.resolve()} if args.before else {})
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="fosp-import-cancel-") as tmp:
        coco = Path(tmp) / "instances_default.json"
        count = write_coco(coco, args.mb)
        megabytes = coco.stat().st_size / 1e6
        for _ in range(args.rounds):
            for how in ("cancel", "close", "read"):
                for variant in sorted(trees, reverse=True):  # before first, then after
                    root = Path(tmp) / f"run-{variant}-{how}"
                    (root / "images").mkdir(parents=True)
                    for jpeg in sorted((DEMO / "JPEGImages").glob("*.jpg"))[:4]:
                        shutil.copyfile(jpeg, root / "images" / jpeg.name)
                    env = dict(os.environ, PYTHONPATH=str(trees[variant]), QT_QPA_PLATFORM="offscreen")
                    out = subprocess.run([sys.executable, __file__, "--child", str(root), str(coco), how], check=True,
                                         capture_output=True, text=True, env=env, cwd=trees[variant]).stdout
                    runs.setdefault((variant, how), []).append(json.loads(out.strip().splitlines()[-1]))
                    shutil.rmtree(root)
    print(f"load average {os.getloadavg()[0]:.1f}; COCO file {megabytes:.0f} MB, {count} RLE annotations; "
          f"the click {CLICK_S:.0f} s after the start; {args.rounds} rounds, median")
    print("| code | click | click to free ms | GUI thread's longest turn ms | peak RSS MB |")
    print("|---|---|---:|---:|---:|")
    for (variant, how), rows in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0] != "before")):
        print(f"| {variant} | {how} | {statistics.median(r['free'] for r in rows):.0f} | "
              f"{statistics.median(r['gui'] for r in rows):.0f} | {statistics.median(r['rss'] for r in rows):.0f} |")


if __name__ == "__main__":
    main()
