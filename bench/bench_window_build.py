"""Main window build and close: CPU seconds per window (process time), as the GUI tests pay it.

    QT_QPA_PLATFORM=offscreen python bench/bench_window_build.py [--windows 30] [--show] [--profile build|show|close]

Builds `--windows` main windows one after another (throw-away settings, as tests/gui's `make_window`:
hidden, 1000x700), each closed and deleted before the next is made (qtbot's teardown: close,
deleteLater, the deferred deletes sent), in `--rounds` batches. The first window is a warm-up (imports, first style and font look-ups) and not counted.
`--show` also shows each window and runs the events that follows (polish, layout, first paint), as
`make_window(show=True)` and `qtbot.waitExposed` do, before closing it.
Prints a markdown table: CPU s per window to build, to show (with `--show`), to close (close + delete),
and all. `--profile` prints the top of a cProfile of the build, the show or the close instead of timing alone.
Results (2-core machine, shared): docs in the commit message that added a change measured by it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402

from app.main import create_app  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402

_NUMBERS = itertools.count(1)


def build(tmp: Path, number: int) -> MainWindow:
    settings = QSettings(str(tmp / f"settings{number}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.resize(1000, 700)
    return window


def close(window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--windows", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="batches of --windows; the table has their median")
    parser.add_argument("--show", action="store_true", help="show each window and run its events before closing it")
    parser.add_argument("--profile", choices=("build", "show", "close"))
    args = parser.parse_args()
    app = create_app([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        close(build(tmp, 0))  # warm-up
        app.processEvents()
        profiler = cProfile.Profile()
        rounds = []
        for _ in range(1 if args.profile else args.rounds):
            rounds.append(_round(tmp, args.windows, args.profile, profiler, args.show or args.profile == "show"))
            app.processEvents()
            gc.collect()
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    built, shown, closed = (statistics.median(r[i] for r in rounds) / args.windows for i in (0, 1, 2))
    if not args.show:
        print(f"| windows x rounds | build CPU s/window | close CPU s/window | both |\n|---|---|---|---|\n"
              f"| {args.windows} x {args.rounds} | {built:.4f} | {closed:.4f} | {built + closed:.4f} |")
        return
    print(f"| windows x rounds | build CPU s/window | show CPU s/window | close CPU s/window | all |\n"
          f"|---|---|---|---|---|\n| {args.windows} x {args.rounds} | {built:.4f} | {shown:.4f} | {closed:.4f} "
          f"| {built + shown + closed:.4f} |")


def _round(tmp: Path, count: int, profile: str | None, profiler: cProfile.Profile,
           show: bool) -> tuple[float, float, float]:
    """Build a window (and show it where `show`) and close it, `count` times (one window alive at a time,
    as in the GUI tests): (CPU s of the builds, of the shows, of the closes)."""
    built = shown = closed = 0.0
    app = QCoreApplication.instance()
    for _ in range(count):
        start = time.process_time()
        if profile == "build":
            profiler.enable()
        window = build(tmp, next(_NUMBERS))  # a settings file of its own: nothing restored
        profiler.disable()
        middle = time.process_time()
        if show:
            if profile == "show":
                profiler.enable()
            window.show()
            app.processEvents()  # polish, layout, the first paint
            profiler.disable()
        after_show = time.process_time()
        if profile == "close":
            profiler.enable()
        close(window)
        profiler.disable()
        built += middle - start
        shown += after_show - middle
        closed += time.process_time() - after_show
    return built, shown, closed


if __name__ == "__main__":
    main()
