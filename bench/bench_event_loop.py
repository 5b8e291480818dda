"""The GUI event loop's gaps, and the Qt events that reach the canvas' Python event filter.

    python bench/bench_event_loop.py [--seconds 8] [--video PATH] [--input-size 256] [--repeats 2]
        [--ab | --threads-ab] [--stall-report MS] [--torch-threads N] [--switch-interval MS] [--spin]

The real main window (1600x1000, offscreen, random fosp-s weights loaded by the analysis panel, so the
model predicts) in two scenarios:

* video: a clip from ``/work/shared/data/videos`` opened (video mode predicts the frames near the
  playhead with the analysis panel's model) and played for ``--seconds``, from the start again
  whenever it ends (the IJmond clip lasts 1.4 s);
* model run: the bundled demo photos (1920x1080) opened and Run on All (every photo predicted on the
  worker, results drawn as they come), measured until the run ends or ``--seconds``.

Measured meanwhile: the calls of ``CanvasInput.eventFilter`` a second (every Qt event the canvas'
input filter sees: with a filter on the whole QApplication, every event of every object), and the
intervals between the ticks of a 5 ms QTimer (a PreciseTimer): an event loop that never stalls
ticks every 5 ms; a turn that takes 120 ms shows as a 120 ms interval. The event loop waits in
``QEventLoop.exec`` as the app's does (``--spin``: ``processEvents`` in a Python loop, as this script
did before, which never sleeps and keeps asking for the GIL). Prints a markdown table: filter calls/s
and the time spent in it (ms a second, Python's call included), frames shown and predicted, ticks,
interval median, p99 and max ms, and intervals over 50 ms. Torch runs with its default intra-op
threads, as the app leaves it (``--torch-threads``).

``--ab``: each case also (first) with the canvas' filter installed on the whole QApplication as well,
as it was before ``app.focus_filter``, a fresh window each. ``--threads-ab``: each case three times,
interleaved, a fresh window each: "before" (while a video plays, torch's default intra-op threads and
Python's 5 ms switch interval), "1 thread" (``app.video.prediction_worker.PLAYING_THREADS``), "1 thread, 1 ms"
(and ``app.video.playback.PLAYING_SWITCH_INTERVAL_S``). ``--stall-report MS``: an
:class:`~app.stall_report.StallReporter` during each measurement; per case, the turns over MS ms, the
GUI thread's time on a CPU / runnable but waiting for one / neither (blocked: the GIL, Qt's image
thread pool), the busiest threads, and where the GUI and the other threads were.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gui_window import analysis_window, wait_until  # noqa: E402
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.annotation import canvas_input  # noqa: E402
from app.stall_report import StallReporter  # noqa: E402
from app.video import playback, prediction_worker  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402

VIDEOS = Path("/work/shared/data/videos")
TICK_MS = 5

calls = [0]
spent = [0.0]  # seconds inside the filter
_filter = canvas_input.CanvasInput.eventFilter


def _counting(self: QObject, watched: QObject, event: object) -> bool:
    calls[0] += 1
    start = time.perf_counter()
    try:
        return _filter(self, watched, event)  # type: ignore[arg-type]
    finally:
        spent[0] += time.perf_counter() - start


canvas_input.CanvasInput.eventFilter = _counting  # type: ignore[method-assign]


STALLS: list[tuple[str, StallReporter]] = []  # (case, reporter) with --stall-report
STALL_MS = [0.0]
SPIN = [False]


def measure(seconds: float, until: object = None, case: str = "") -> dict[str, float]:
    """Run the event loop for `seconds` (or until `until()`): filter calls/s and the tick intervals."""
    ticks: list[float] = []
    reporter = StallReporter(STALL_MS[0]) if STALL_MS[0] > 0 else None
    if reporter is not None:
        reporter.start()
        STALLS.append((case, reporter))
    timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    calls[0], spent[0] = 0, 0.0
    start = time.perf_counter()
    timer.start()
    if SPIN[0]:  # the loop before: processEvents in a Python loop, which never sleeps
        while time.perf_counter() - start < seconds and not (callable(until) and until()):
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    else:  # as the app's event loop (QApplication.exec): waits in poll() for the next event
        check = QTimer(interval=50)
        done = lambda: time.perf_counter() - start >= seconds or (callable(until) and until())  # noqa: E731
        check.timeout.connect(lambda: done() and loop.quit())
        check.start()
        loop.exec()
        check.stop()
    timer.stop()
    if reporter is not None:
        reporter.stop()
    took = time.perf_counter() - start
    gaps = sorted((b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False))
    return {"seconds": took, "filter/s": calls[0] / took, "filter ms/s": 1000 * spent[0] / took, "ticks": len(ticks),
            "median": statistics.median(gaps) if gaps else float("nan"),
            "p99": gaps[int(0.99 * (len(gaps) - 1))] if gaps else float("nan"),
            "max": gaps[-1] if gaps else float("nan"), "over50": sum(g > 50 for g in gaps)}


def video_case(window, path: Path, seconds: float,  # type: ignore[no-untyped-def]
               label: str = "video") -> dict[str, float]:
    video = window.video
    shown: list[int] = []
    video.frame_shown.connect(shown.append)
    window.open_paths([path], remember=False)
    assert wait_until(lambda: bool(shown), 30), "no frame shown"
    predicted: list[int] = []
    worker = video.worker
    if worker is not None:
        worker.predicted.connect(lambda _g, i: predicted.append(i))
    wait_until(lambda: bool(predicted), 30)  # the model predicts the first frame
    frames_before = len(shown)
    playing = [True]  # played again from the start whenever it ends (a clip shorter than --seconds)

    def again(on: bool) -> None:
        if not on and playing[0]:
            QTimer.singleShot(0, lambda: playing[0] and not video.playback.playing and video.toggle_play())

    video.playback.playing_changed.connect(again)
    video.toggle_play()
    out = measure(seconds, case=label)
    playing[0] = False
    if video.playback.playing:
        video.toggle_play()
    out["frames"] = len(shown) - frames_before
    out["predicted"] = len(predicted)
    return out


def model_run_case(window, seconds: float,  # type: ignore[no-untyped-def]
                   label: str = "model run") -> dict[str, float]:
    ctl = window.analysis
    planned: list[int | None] = []
    ctl.planning.planned.connect(planned.append)  # Run on all plans on a worker, then starts
    request = None
    if ctl.run_all():
        while not planned:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        request = planned[0]
    if request is None:
        request = ctl.run_current()
    out = measure(seconds, until=lambda: request is not None and request not in ctl._runs, case=label)
    out["frames"] = out["predicted"] = float("nan")
    return out


def run_case(app: QApplication, folder: Path, case: str, mode: str, args: argparse.Namespace) -> dict[str, float]:
    """One case in a fresh window; `mode` "application": the canvas' filter on the whole
    application too (as before), "window": as the app does it."""
    folder.mkdir()
    paths = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))
    window = analysis_window(folder, None, args.input_size, paths)
    canvas_filter = window.annotation.controller.input
    torch.set_num_threads(args.threads)
    if mode == "application":
        app.installEventFilter(canvas_filter)
    # as before: torch's default intra-op threads and Python's 5 ms switch interval while a video plays
    prediction_worker.PLAYING_THREADS = None if mode == "before" else 1
    playback.PLAYING_SWITCH_INTERVAL_S = 0.001 if mode == "1 thread, 1 ms" else None
    wait_until(lambda: False, 1.0)  # the first image's run, thumbnails
    if case == "video":
        out = video_case(window, args.video, args.seconds, f"{case} / {mode}")
    else:
        out = model_run_case(window, args.seconds, f"{case} / {mode}")
    app.removeEventFilter(canvas_filter)
    window.close()
    wait_until(lambda: False, 0.5)
    return out


def print_stalls() -> None:
    """--stall-report: per case, the long turns' total, the GUI thread's share on a CPU / waiting for one,
    the busiest threads meanwhile, and where the GUI thread was (innermost 2 frames), most often first."""
    for case in dict.fromkeys(c for c, _ in STALLS):
        reports = [r for c, rep in STALLS if c == case for r in rep.reports]
        if not reports:
            continue
        total = sum(r.ms for r in reports)
        threads: dict[str, list[float]] = {}
        places: dict[str, float] = {}
        others: dict[str, float] = {}
        for r in reports:
            for name, (run, wait) in r.threads.items():
                name = name.split("[")[0]
                acc = threads.setdefault(name, [0.0, 0.0])
                acc[0] += run
                acc[1] += wait
            place = " <- ".join(reversed(r.gui_stack[-2:]))
            places[place] = places.get(place, 0.0) + r.ms
            for name, stack in r.other_stacks.items():
                if stack and not any(w in stack[-1] for w in (" wait", "_wait_for_tstate_lock", " select")):
                    place = f"{name} at " + " <- ".join(reversed(stack[-2:]))
                    others[place] = others.get(place, 0.0) + r.ms
        gui = threads.get("MainThread", [0.0, 0.0])
        print(f"\n{case}: {len(reports)} turns over {STALL_MS[0]:.0f} ms, {total:.0f} ms in all; GUI thread "
              f"on a CPU {gui[0]:.0f} ms, runnable but waiting for a CPU {gui[1]:.0f} ms, "
              f"neither (blocked: the GIL, Qt's image pool) {total - gui[0] - gui[1]:.0f} ms")
        busy = sorted(threads.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:8]
        print("  threads (ms on a CPU / waiting): " + ", ".join(f"{n} {a:.0f}/{b:.0f}" for n, (a, b) in busy))
        for place, ms in sorted(places.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {ms:6.0f} ms  GUI at {place}")
        for place, ms in sorted(others.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {ms:6.0f} ms  {place}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--video", type=Path, default=VIDEOS / "ijmond-blast-furnace-dusk.mp4")
    parser.add_argument("--input-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cases", default="video,model run")
    parser.add_argument("--threads-ab", action="store_true",
                        help="while a video plays: torch's default intra-op threads and a 5 ms switch "
                        "interval (before), 1 thread, 1 thread and 1 ms; interleaved")
    parser.add_argument("--spin", action="store_true",
                        help="run the event loop as this script did before: processEvents in a Python loop")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch's intra-op threads (default: torch's own, as the app leaves it)")
    parser.add_argument("--switch-interval", type=float, default=0.0, metavar="MS",
                        help="sys.setswitchinterval (default: Python's, 5 ms)")
    parser.add_argument("--stall-report", type=float, default=0.0, metavar="MS",
                        help="report the turns over MS ms (app.stall_report): threads, stacks")
    parser.add_argument("--ab", action="store_true",
                        help="also with the canvas' filter on the whole application (the design before), interleaved")
    args = parser.parse_args()
    args.threads = 0
    threads = args.torch_threads or torch.get_num_threads()  # before gui_window sets its own
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000.0)
    app = QApplication.instance() or QApplication([])
    STALL_MS[0] = args.stall_report
    args.threads = threads
    SPIN[0] = args.spin
    rows: list[tuple[str, str, dict[str, float]]] = []
    modes = ("application", "window") if args.ab else ("window",)
    if args.threads_ab:
        modes = ("before", "1 thread", "1 thread, 1 ms")
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases.split(","):
            for repeat in range(args.repeats):
                for mode in modes:
                    folder = Path(tmp) / f"{case.replace(' ', '-')}-{repeat}-{mode}"
                    rows.append((case, mode, run_case(app, folder, case, mode, args)))
    load = os.getloadavg()[0]
    print(f"main window 1600x1000 ({os.environ['QT_QPA_PLATFORM']}), random fosp-s at input {args.input_size}, "
          f"torch {args.threads} intra-op threads, switch interval {1000 * sys.getswitchinterval():g} ms, "
          f"{TICK_MS} ms PreciseTimer; CPU {os.cpu_count()} cores, load average {load:.1f}; video {args.video.name}\n")
    column = "while playing" if args.threads_ab else "canvas filter on"
    print(f"| case | {column} | s | filter calls/s | in filter ms/s | frames shown | frames predicted | ticks "
          "| interval median ms | p99 ms | max ms | > 50 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for case, mode, r in rows:
        print(f"| {case} | {mode} | {r['seconds']:.1f} | {r['filter/s']:.0f} | {r['filter ms/s']:.1f} | {r['frames']:.0f} "
              f"| {r['predicted']:.0f} | {r['ticks']} | {r['median']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['over50']} |")
    print_stalls()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (pyqtgraph items at exit in offscreen Qt)


if __name__ == "__main__":
    raise SystemExit(main())
