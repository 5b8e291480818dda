"""The GUI event loop's gaps, and the Qt events that reach the canvas' Python event filter.

    python bench/bench_event_loop.py [--seconds 8] [--video PATH] [--input-size 256] [--repeats 2] [--ab]

The real main window (1600x1000, offscreen, random fosp-s weights loaded by the analysis panel, so the
model predicts) in two scenarios:

* video: a clip from ``/work/shared/data/videos`` opened (video mode predicts the frames near the
  playhead with the analysis panel's model) and played for ``--seconds``;
* model run: the bundled demo photos (1920x1080) opened and Run on All (every photo predicted on the
  worker, results drawn as they come), measured until the run ends or ``--seconds``.

Measured meanwhile: the calls of ``CanvasInput.eventFilter`` a second (every Qt event the canvas'
input filter sees: with a filter on the whole QApplication, every event of every object), and the
intervals between the ticks of a 5 ms QTimer (a PreciseTimer): an event loop that never stalls
ticks every 5 ms; a turn that takes 120 ms shows as a 120 ms interval. Prints a markdown table:
filter calls/s and the time spent in it (ms a second, Python's own call included), ticks, interval median, p99 and max ms, and intervals over 50 ms. ``--ab``: each case also (first) with the canvas' filter installed on the
whole QApplication as well, as it was before ``app.focus_filter`` (same filter code, so the two
differ only in which events reach it), a fresh window each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gui_window import analysis_window, wait_until  # noqa: E402
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.annotation import canvas_input  # noqa: E402
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


def measure(seconds: float, until: object = None) -> dict[str, float]:
    """Run the event loop for `seconds` (or until `until()`): filter calls/s and the tick intervals."""
    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    calls[0], spent[0] = 0, 0.0
    start = time.perf_counter()
    timer.start()
    while time.perf_counter() - start < seconds and not (callable(until) and until()):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    timer.stop()
    took = time.perf_counter() - start
    gaps = sorted((b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False))
    return {"seconds": took, "filter/s": calls[0] / took, "filter ms/s": 1000 * spent[0] / took, "ticks": len(ticks),
            "median": statistics.median(gaps) if gaps else float("nan"),
            "p99": gaps[int(0.99 * (len(gaps) - 1))] if gaps else float("nan"),
            "max": gaps[-1] if gaps else float("nan"), "over50": sum(g > 50 for g in gaps)}


def video_case(window, path: Path, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
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
    video.toggle_play()
    out = measure(seconds)
    if video.playback.playing:
        video.toggle_play()
    out["frames"] = len(shown) - frames_before
    out["predicted"] = len(predicted)
    return out


def model_run_case(window, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    ctl = window.analysis
    request = ctl.run_all()
    if request is None:
        request = ctl.run_current()
    out = measure(seconds, until=lambda: request is not None and request not in ctl._runs)
    out["frames"] = float("nan")
    return out


def run_case(app: QApplication, folder: Path, case: str, mode: str, args: argparse.Namespace) -> dict[str, float]:
    """One case in a fresh window; `mode` "application": the canvas' filter on the whole
    application too (as before), "window": as the app does it."""
    folder.mkdir()
    paths = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))
    window = analysis_window(folder, None, args.input_size, paths)
    canvas_filter = window.annotation.controller.input
    if mode == "application":
        app.installEventFilter(canvas_filter)
    wait_until(lambda: False, 1.0)  # the first image's run, thumbnails
    if case == "video":
        out = video_case(window, args.video, args.seconds)
    else:
        out = model_run_case(window, args.seconds)
    app.removeEventFilter(canvas_filter)
    window.close()
    wait_until(lambda: False, 0.5)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--video", type=Path, default=VIDEOS / "ijmond-blast-furnace-dusk.mp4")
    parser.add_argument("--input-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cases", default="video,model run")
    parser.add_argument("--ab", action="store_true",
                        help="also with the canvas' filter on the whole application (the design before), interleaved")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rows: list[tuple[str, str, dict[str, float]]] = []
    modes = ("application", "window") if args.ab else ("window",)
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases.split(","):
            for repeat in range(args.repeats):
                for mode in modes:
                    folder = Path(tmp) / f"{case.replace(' ', '-')}-{repeat}-{mode}"
                    rows.append((case, mode, run_case(app, folder, case, mode, args)))
    load = os.getloadavg()[0]
    print(f"main window 1600x1000 ({os.environ['QT_QPA_PLATFORM']}), random fosp-s at input {args.input_size}, "
          f"{TICK_MS} ms PreciseTimer; CPU {os.cpu_count()} cores, load average {load:.1f}; video {args.video.name}\n")
    print("| case | canvas filter on | s | filter calls/s | in filter ms/s | frames shown | ticks | interval median ms | p99 ms | max ms "
          "| > 50 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case, mode, r in rows:
        print(f"| {case} | {mode} | {r['seconds']:.1f} | {r['filter/s']:.0f} | {r['filter ms/s']:.1f} | {r['frames']:.0f} | {r['ticks']} "
              f"| {r['median']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['over50']} |")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (pyqtgraph items at exit in offscreen Qt)


if __name__ == "__main__":
    raise SystemExit(main())
