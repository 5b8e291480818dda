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

``--window``: the GUI thread's longest turn when Run on all starts, in the real main window (the model
of random fosp-s weights loaded, the 1053 SMOKE5K photos open in their dataset project; the inference
worker's ``predict`` stubbed: the run's start is measured, not its images). A 1 ms precise timer ticks
on the GUI thread from 30 ms before the click until the run has started (``predict`` asked, or the
plan said nothing runs) and 30 ms after: the longest gap between ticks is the longest turn. "plan on
the GUI thread" is what ``AnalysisRuns.run_all`` did before session 30 J (the metrics update, then
``RunPlanner.run_all`` and ``predict`` in the click's turn); "plan on its worker" is ``run_all`` now.
Two states: a first Run on all (no summary saved: every photo runs) and after a reopening (every
photo's saved summary is of this model at these settings: none runs). Needs SMOKE5K.
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


def _turns(start: Callable[[], None], started: Callable[[], bool]) -> tuple[float, float, float, float]:
    """(longest GUI turn, the click's turn, click to the run started, the GUI thread's CPU time in the
    click's turn) in ms: `start` called in a turn of its own from the event loop, ticks every 1 ms (see
    the module doc; the CPU time is the thread's own, whatever else the machine runs)."""
    from gui_window import wait_until
    from PySide6.QtCore import Qt, QTimer

    ticks: list[float] = []
    ticker = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer, timeout=lambda: ticks.append(time.perf_counter()))
    clicked: list[float] = []  # perf_counter at the click, the turn's thread_time, perf_counter after it

    def click() -> None:
        t0, cpu0 = time.perf_counter(), time.thread_time()
        start()
        clicked.extend((t0, time.thread_time() - cpu0, time.perf_counter()))

    ticker.start()
    wait_until(lambda: False, 0.03)
    QTimer.singleShot(0, click)
    assert wait_until(lambda: len(clicked) == 3 and started(), 60)
    done = time.perf_counter()
    wait_until(lambda: False, 0.03)
    ticker.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    t0, cpu, t1 = clicked
    return max(gaps) * 1e3, (t1 - t0) * 1e3, (done - t0) * 1e3, cpu * 1e3


def window_rows(rounds: int) -> tuple[int, list[tuple[str, list[tuple[float, ...]]]]]:
    """The GUI thread's turns as Run on all starts in the real window (``--window``; module doc)."""
    from gui_window import analysis_window, wait_until

    from fosp_core.annotation.prelabel import stamp_summary

    with tempfile.TemporaryDirectory() as tmp:
        source, paths = _dataset(Path(tmp))
        if source != SMOKE5K:
            raise SystemExit("--window needs SMOKE5K (../shared/data/smoke5k-train)")
        window = analysis_window(Path(tmp), None, 64, paths)
        ctl, registry = window.analysis, window.annotation.controller.registry
        assert wait_until(lambda: bool(registry.projects) and not ctl._runs, 120)
        asked: list[int] = []

        def predict(jobs, *_a, **_k) -> int:  # noqa: ANN001, ANN002, ANN003 - stub: the start, not the run
            asked.append(len(jobs))
            return -len(asked)

        ctl.worker.predict = predict  # type: ignore[method-assign]
        planned: list[object] = []
        ctl.planning.planned.connect(planned.append)
        arrived = ctl.planning._arrived  # the plan's turn on the GUI thread when it arrives: timed
        arrivals: list[tuple[float, float]] = []  # (wall, GUI thread CPU) ms

        def timed(*args: object) -> None:
            t0, cpu0 = time.perf_counter(), time.thread_time()
            arrived(*args)
            arrivals.append(((time.perf_counter() - t0) * 1e3, (time.thread_time() - cpu0) * 1e3))

        ctl.planning._arrived = timed

        def before() -> None:  # AnalysisRuns.run_all before session 30 J: the plan in the click's turn
            ctl._metrics_timer.stop()
            ctl.update_metrics()
            plan = ctl.planner.run_all(ctl.model.model_id)
            if plan.jobs:
                ctl._runs.add(ctl.worker.predict(plan.jobs, ctl.model.model_id, ctl.settings.tau, ctl._preparer()))

        def settle() -> None:
            ctl._runs.clear()
            ctl.planner.forget()
            ctl.panel.set_busy(0, 0)
            wait_until(lambda: False, 0.05)

        rows: dict[str, list[tuple[float, ...]]] = {}
        for state in ("first Run on all", "after a reopening"):
            if state == "after a reopening":
                stamp = model_stamp(ctl.model, ctl.settings, float(ctl.settings.threshold))
                for found in registry.lookup_many(paths):
                    assert found is not None
                    found[0].entry(found[1]).prediction = stamp_summary({}, stamp, file_stamp(label_file(*found)))
            for _ in range(rounds):
                if state.startswith("first"):  # the noise floor: the same window and load, no click's work
                    rows.setdefault("(no Run on all: the window idle)", []).append(
                        (*_turns(lambda: None, lambda: True), float("nan"), 0.0))
                for mode in ("plan on the GUI thread", "plan on its worker"):
                    n, p = len(asked), len(planned)
                    start, started = ((before, lambda n=n: len(asked) > n or not ctl._runs) if mode.endswith("thread")
                                      else (ctl.run_all, lambda p=p: len(planned) > p))
                    turns = _turns(start, started)
                    rows.setdefault(f"{state}: {mode}", []).append(
                        (*turns, *(arrivals[-1] if mode.endswith("worker") else (float("nan"), 0.0))))
                    settle()
            print(f"{state}: {asked[-1] if asked and state.startswith('first') else 0} photos to run", file=sys.stderr)
        window.close()
    return len(paths), list(rows.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--window", action="store_true", help="the GUI thread's turns in the real window")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    if args.window:
        count, got = window_rows(args.rounds)
        print(f"{count} SMOKE5K photos in the window, {args.rounds} rounds, "
              f"load average {os.getloadavg()[0]:.1f}\n")
        print("| Run on all starts | longest GUI turn ms (median / max) | the click's turn ms (median) "
              "| the plan's arrival turn ms (median) | GUI thread CPU ms in those turns (median) "
              "| click to run started ms (median) |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, turns in got:
            arrival = statistics.median(t[4] for t in turns)
            print(f"| {name} | {statistics.median(t[0] for t in turns):.1f} / {max(t[0] for t in turns):.1f} "
                  f"| {statistics.median(t[1] for t in turns):.1f} | {'-' if arrival != arrival else f'{arrival:.1f}'} "
                  f"| {statistics.median(t[3] + t[5] for t in turns):.1f} | {statistics.median(t[2] for t in turns):.1f} |")
        return
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
