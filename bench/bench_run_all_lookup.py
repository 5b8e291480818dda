"""Run on all's plan after a reopening, and Pre-label All's, on the GUI thread: what they cost on ~1000 images.

Run on all asks, for each image without a result, whether its project holds a summary of this model at
these settings (`WorklistSummaries.summarised_all`, the `RunPlanner.summarised` hook): image by image
(`summarised`, each path resolved through `ProjectRegistry.lookup`: the window before session 30 C) and in
one pass (`lookup_pass`: each folder resolved once, the window now); every image here holds such a summary,
so each also costs a ``stat`` of its label file. Pre-label All's plan (`prelabel_todo`) looks for each
unlabeled image's mask file. Wall and CPU ms (median of the rounds, the two lookups interleaved) and
os.stat/os.lstat calls.

Data: the 1053 real SMOKE5K photos of ../shared/data/smoke5k-train (its dataset project of 5053
images, in a temporary projects folder: the data is never written), or, without it, 1000 empty files in
a temporary dataset.  Run: python bench/bench_run_all_lookup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.annotation.projects import ProjectRegistry  # noqa: E402
from app.annotation.worklist_summaries import WorklistSummaries, model_stamp  # noqa: E402
from fosp_core.analysis.settings import AnalysisSettings  # noqa: E402
from fosp_core.annotation.prelabel import prelabel_todo, stamp_summary  # noqa: E402
from fosp_core.annotation.summaries import file_stamp, label_file  # noqa: E402

SMOKE5K = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train"
MODEL = "/m.safetensors@1|cpu|fp32"


class _Controller(QObject):
    state_changed = Signal()

    def __init__(self, registry: ProjectRegistry) -> None:
        super().__init__()
        self.registry, self.state = registry, SimpleNamespace(threshold=0.5)


def _dataset(tmp: Path) -> tuple[Path, list[Path]]:
    if (SMOKE5K / "img").is_dir():
        real = [p for p in sorted((SMOKE5K / "img").iterdir()) if not re.fullmatch(r"\d+_\d+", p.stem)]
        return SMOKE5K, real
    ds = tmp / "ds"
    (ds / "JPEGImages").mkdir(parents=True)
    (ds / "SegmentationClass").mkdir()
    for i in range(1000):
        (ds / "JPEGImages" / f"i{i}.jpg").touch()
        (ds / "SegmentationClass" / f"i{i}.png").touch()
    return ds, sorted((ds / "JPEGImages").iterdir())


def _measure(run: Callable[[], object]) -> tuple[float, float, int]:
    calls = [0]
    stat, lstat = os.stat, os.lstat

    def counted(real: Callable) -> Callable:
        def call(*a: object, **k: object) -> object:
            calls[0] += 1
            return real(*a, **k)
        return call

    os.stat, os.lstat = counted(stat), counted(lstat)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        return (time.perf_counter() - wall) * 1e3, (time.process_time() - cpu) * 1e3, calls[0]
    finally:
        os.stat, os.lstat = stat, lstat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        source, paths = _dataset(Path(tmp))
        registry = ProjectRegistry(Path(tmp) / "projects")
        registry.open_for([source])
        project = registry.projects[0]
        worker = SimpleNamespace(add_follower=lambda _f: None, followed=SimpleNamespace(connect=lambda _s: None),
                                 result=SimpleNamespace(connect=lambda _s: None))
        summaries = WorklistSummaries(_Controller(registry), worker)  # type: ignore[arg-type]
        summaries.settings = settings = AnalysisSettings(device="cpu", threshold=0.5)
        model = SimpleNamespace(model_id=MODEL, info=SimpleNamespace(tau=settings.tau), digest="d1g")
        summaries.loaded = lambda: model  # type: ignore[assignment,return-value]
        stamp = model_stamp(model, settings, 0.5)  # type: ignore[arg-type]
        for found in registry.lookup_many(paths):  # every image summarised by this model: a reopened Run on all
            assert found is not None
            found[0].entry(found[1]).prediction = stamp_summary({}, stamp, file_stamp(label_file(*found)))
        rows: dict[str, list[tuple[float, float, int]]] = {}
        runs = {"Run on all plan, image by image (lookup)": lambda: [summaries.summarised(p, MODEL) for p in paths],
                "Run on all plan, one pass (lookup_pass)": lambda: summaries.summarised_all(paths, MODEL),
                f"Pre-label All plan (prelabel_todo, {len(project.entries)} entries)": lambda: prelabel_todo(project)}
        for _ in range(args.rounds):
            for name, run in runs.items():
                rows.setdefault(name, []).append(_measure(run))
        registry.close()
    load = os.getloadavg()[0]
    print(f"{len(paths)} images ({'SMOKE5K real photos' if source == SMOKE5K else 'temporary files'}), "
          f"{args.rounds} rounds, load average {load:.1f}\n")
    print("| what | ms (wall, median) | ms (CPU, median) | stat/lstat calls |")
    print("|---|---:|---:|---:|")
    for name, got in rows.items():
        print(f"| {name} | {statistics.median(g[0] for g in got):.1f} | {statistics.median(g[1] for g in got):.1f} "
              f"| {got[-1][2]} |")


if __name__ == "__main__":
    main()
