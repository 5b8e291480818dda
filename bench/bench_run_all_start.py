"""Run on all's start on the 30 SmokeSeg pairs, in the real window: how long until the plan, the first
results, and the GUI thread's longest turn meanwhile (with the stall reporter's stack of it).

    python bench/bench_run_all_start.py [--rounds 3] [--input-size 512] [--results 3] [--checkpoint X]

Data: ``../shared/data/smokeseg-samples`` (30 photos 512x512 with labels), copied to a temporary folder,
its annotation project under a temporary projects folder (the data is never written). The model: random
fosp-s weights unless ``--checkpoint`` (the timings are the wiring's and the network's, not accuracy).

Rows:

* **first Run on all**: the folder open, the image shown already run (Ctrl+R), Run on all clicked in a turn
  of its own; click to the plan's arrival (``planning.planned``), to the first and to the `--results`-th
  result, the GUI thread's CPU time meanwhile, and the longest GUI-thread turn from the click to that
  result (a 1 ms precise timer ticking; the gap between two ticks is a turn). Then Cancel, and the
  results, scores and summaries are forgotten for the next round. Two ways, interleaved round by round:
  the panel's progress bar painted at once (QProgressBar.setValue's repaint, which paints every widget
  of the window waiting for a paint inside the result's turn: ``ModelPanel.set_busy`` before) and with
  the window's next paint (now).
* **reopened, Run on all**: every image run and summarised (with its scores), the window closed and a
  new one opened on the folder with the same model: open to the folder metrics covering all 30 images
  (`app.analysis.kept_metrics`: no click), then Run on all (nothing to run) click to the plan.

The longest turn's stack is the stall reporter's (``app.stall_report``, 30 ms threshold): the top frames
of the GUI thread in the longest stall seen in the row's rounds.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "smokeseg-samples"


class Ticks:
    """A 1 ms precise timer on the GUI thread: the longest gap between two ticks in a span is the
    longest event-loop turn there."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer, timeout=self._tick)

    def _tick(self) -> None:
        self.times.append(time.perf_counter())

    def longest(self, start: float, end: float) -> float:
        inside = [t for t in self.times if start <= t <= end]
        edges = [start, *inside, end]
        return max(b - a for a, b in zip(edges, edges[1:], strict=False)) * 1e3


def _copy_samples(tmp: Path) -> Path:
    folder = tmp / "smokeseg"
    for part in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(SAMPLES / part, folder / part)
    return folder


def _stall_stack(reporter, since: int) -> tuple[float, str]:  # noqa: ANN001
    """(ms, the GUI thread's innermost app/fosp frames) of the longest stall reported after the first `since`."""
    reports = list(reporter.reports)[since:]
    if not reports:
        return 0.0, "-"
    worst = max(reports, key=lambda r: r.ms)
    return worst.ms, " < ".join(worst.gui_stack[-1:-5:-1]) or "-"


def _click(start: Callable[[], None]) -> list[float]:
    """Call `start` in a turn of its own; returns [perf_counter at the click] once it ran."""
    clicked: list[float] = []
    QTimer.singleShot(0, lambda: (clicked.append(time.perf_counter()), start()))
    return clicked


def _old_set_busy(panel):  # noqa: ANN001, ANN202
    """`ModelPanel.set_busy` before this bench: the bar's value set as it is, its paint at once."""
    def set_busy(done: int, total: int) -> None:
        panel.progress.setVisible(total > 0)
        panel.cancel_button.setVisible(total > 0)
        if total > 0:
            panel.progress.setRange(0, total)
            panel.progress.setValue(done)
            panel.progress.setFormat("%v / %m images" if total > 1 else "running…")
    return set_busy


def first_rows(window, rounds: int, results: int, wait_until, reporter,  # noqa: ANN001
               at_once: bool = False) -> list[tuple[float, ...]]:
    ctl = window.analysis
    rows = []
    if at_once:
        ctl.panel.set_busy = _old_set_busy(ctl.panel)
    for _ in range(rounds):
        planned: list[float] = []
        arrived: list[float] = []
        on_plan = ctl.planning.planned.connect(lambda _r, p=planned: p.append(time.perf_counter()))
        on_result = ctl.worker.result.connect(lambda *_a, a=arrived: a.append(time.perf_counter()))
        ticks, since = Ticks(), len(reporter.reports)
        ticks.timer.start()
        wait_until(lambda: False, 0.05)
        cpu0 = time.thread_time()  # the GUI thread's (the waits sleep: no CPU)
        clicked = _click(ctl.run_all)
        assert wait_until(lambda a=arrived, p=planned: len(a) >= results or (bool(p) and not ctl._runs), 300), ctl.errors
        end = arrived[min(results, len(arrived)) - 1]  # (29 at most: the image shown ran before the click)
        cpu = (time.thread_time() - cpu0) * 1e3
        ticks.timer.stop()
        ctl.worker.result.disconnect(on_result)
        ctl.planning.planned.disconnect(on_plan)
        ctl.cancel()
        assert wait_until(lambda: not ctl._runs, 120)
        t0 = clicked[0]
        stall_ms, where = _stall_stack(reporter, since)
        rows.append(((planned[0] - t0) * 1e3, (arrived[0] - t0) * 1e3, (end - t0) * 1e3,
                     ticks.longest(t0, end), stall_ms, where, cpu))
        ctl.cache.clear()  # the next round runs every image again
        ctl.scores.book.clear()
        project = window.annotation.controller.project
        for entry in project.entries:
            entry.prediction = None
        wait_until(lambda: False, 0.3)
    if at_once:
        del ctl.panel.set_busy  # the class's again
    return rows


def reopened_rows(tmp: Path, folder: Path, checkpoint: Path, input_size: int, rounds: int, wait_until,  # noqa: ANN001
                  analysis_window, reporter) -> list[tuple[float, ...]]:
    from gui_window import model_window

    rows = []
    for _ in range(rounds):
        window = model_window(tmp, checkpoint, input_size)  # the window and its model: not timed
        ctl = window.analysis
        ticks, since = Ticks(), len(reporter.reports)
        ticks.timer.start()
        wait_until(lambda: False, 0.05)
        t0 = time.perf_counter()
        window.open_paths([folder], remember=False)
        n = len(window.session)
        assert wait_until(lambda c=ctl, n=n: c.scores.table.scored == n, 120), ctl.scores.table.scored
        full = time.perf_counter()
        planned: list[float] = []
        ctl.planning.planned.connect(lambda _r, p=planned: p.append(time.perf_counter()))
        clicked = _click(ctl.run_all)
        assert wait_until(lambda p=planned: bool(p), 60)
        end = planned[0]
        ticks.timer.stop()
        stall_ms, where = _stall_stack(reporter, since)
        rows.append(((full - t0) * 1e3, (end - clicked[0]) * 1e3, ticks.longest(clicked[0], end),
                     ticks.longest(t0, full), stall_ms, where))
        print(f"reopened round: {rows[-1]}", file=sys.stderr)
        window.close()
        wait_until(lambda: False, 0.2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--input-size", type=int, default=512)
    parser.add_argument("--results", type=int, default=3)
    parser.add_argument("--checkpoint", type=Path)
    args = parser.parse_args()
    if not (SAMPLES / "JPEGImages").is_dir():
        print(f"skipped: needs {SAMPLES} (the 30 SmokeSeg pairs)")
        return
    QApplication.instance() or QApplication([])
    from gui_window import analysis_window, wait_until

    from app.stall_report import StallReporter

    logging.getLogger("fosp.stall").setLevel(logging.ERROR)  # kept in `reporter.reports`, not printed
    reporter = StallReporter(threshold_ms=30.0)
    reporter.start()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = _copy_samples(tmp)
        checkpoint = args.checkpoint
        if checkpoint is None:
            from fosp_core.checkpoint import save_checkpoint
            from fosp_core.model import build_model

            checkpoint = save_checkpoint(build_model("fosp-s").eval(), tmp / "fosp-s-random.safetensors")
        window = analysis_window(tmp, checkpoint, args.input_size, [folder])
        ctl = window.analysis
        assert ctl.run_current() is not None
        assert wait_until(lambda: ctl.prediction is not None and not ctl._runs, 120)
        first: dict[str, list[tuple[float, ...]]] = {}
        for _ in range(args.rounds):  # the two interleaved, one round at a time
            for name, at_once in (("progress painted at once (before)", True), ("progress painted after (now)", False)):
                first.setdefault(name, []).extend(first_rows(window, 1, args.results, wait_until, reporter, at_once))
        request_done: list[bool] = []
        ctl.worker.done.connect(lambda *_a: request_done.append(True))
        with_runs = ctl.planning.planned
        got: list[object] = []
        with_runs.connect(got.append)
        ctl.run_all()  # every image run and summarised, for the reopened rows
        assert wait_until(lambda: bool(got) and not ctl._runs, 900), ctl.errors
        window.close()
        wait_until(lambda: False, 0.3)
        reopened = reopened_rows(tmp, folder, checkpoint, args.input_size, args.rounds, wait_until, analysis_window,
                                 reporter)
    reporter.stop()
    print(f"30 SmokeSeg pairs, input {args.input_size}, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} CPUs\n")
    print(f"| first Run on all | click to plan ms | click to 1st result ms | click to result {args.results} ms "
          f"| GUI thread CPU ms to result {args.results} | longest GUI turn ms (median / max) "
          "| longest stall: GUI thread in |")
    print("|---|---:|---:|---:|---:|---:|---|")
    med = statistics.median
    for name, rows in first.items():
        worst = max(rows, key=lambda r: r[4])
        print(f"| {name} | {med(r[0] for r in rows):.0f} | {med(r[1] for r in rows):.0f} "
              f"| {med(r[2] for r in rows):.0f} | {med(r[6] for r in rows):.0f} "
              f"| {med(r[3] for r in rows):.0f} / {max(r[3] for r in rows):.0f} | {worst[4]:.0f} ms: {worst[5]} |")
    print("\n| reopened | open to all 30 in the metrics ms | Run on all click to plan ms "
          "| longest GUI turn, the click ms (median / max) | longest GUI turn, the opening ms (median / max) "
          "| longest stall: GUI thread in |")
    print("|---|---:|---:|---:|---:|---|")
    worst = max(reopened, key=lambda r: r[4])
    print(f"| {len(reopened)} rounds | {med(r[0] for r in reopened):.0f} | {med(r[1] for r in reopened):.0f} "
          f"| {med(r[2] for r in reopened):.0f} / {max(r[2] for r in reopened):.0f} "
          f"| {med(r[3] for r in reopened):.0f} / {max(r[3] for r in reopened):.0f} | {worst[4]:.0f} ms: {worst[5]} |")


if __name__ == "__main__":
    main()
