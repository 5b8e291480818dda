"""What the GUI-thread benches share (bench_open_slow_listing, bench_open_slow_share, bench_switch_slow_share,
bench_take_over_slow_share): a
window in a child process importing the code of one tree (this checkout, or a "before" tree), a heartbeat timer
that measures the longest gap of the GUI thread's event loop, and the children run per tree and summed up in a
markdown cell (median, min-max)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Heart", "cell", "run_child", "run_trees", "sized_main", "window_in"]

#: this checkout (the "after" tree)
CHECKOUT = Path(__file__).resolve().parents[1]


def window_in(tree: Path, scratch: Path, projects_root: Path | None = None) -> tuple[Any, Any]:
    """(app, window): a shown MainWindow, offscreen, importing the code of `tree`, with HOME, the caches and the
    settings in `scratch` (and its projects under `projects_root` when given)."""
    sys.path.insert(0, str(tree))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
        os.environ[var] = os.fspath(scratch / sub)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import fosp_core
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    assert Path(fosp_core.__file__).resolve().is_relative_to(tree.resolve()), fosp_core.__file__
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    if projects_root is not None:
        window.annotation.controller.registry.projects_root = projects_root
    window.resize(1280, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.003)
    return app, window


class Heart:
    """A 3 ms timer on the GUI thread; `longest` is the longest gap between two of its beats (or `beat` calls)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.last, self.longest = time.perf_counter(), 0.0
        self._timer = QTimer(interval=3, timerType=Qt.TimerType.PreciseTimer, timeout=self.beat)

    def beat(self) -> None:
        now = time.perf_counter()
        self.longest, self.last = max(self.longest, now - self.last), now

    def start(self) -> None:
        self._timer.start()

    def restart(self) -> float:
        """Count gaps from now on; returns now."""
        self.last = time.perf_counter()
        return self.last

    def stop(self) -> None:
        self.beat()
        self._timer.stop()


def run_child(script: str, args: Sequence[str], tree: Path) -> dict[str, float]:
    """`script --child tree args…` in a fresh interpreter run from `tree`; its last line of output, as JSON."""
    done = subprocess.run([sys.executable, script, *args, "--child", str(tree)], capture_output=True, text=True,
                          check=True, cwd=tree)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cell(rows: Sequence[dict[str, float]], key: str) -> str:
    """`key` over `rows`: "median (min-max)" seconds, or the median count for a key of counted calls."""
    values = [row[key] for row in rows]
    if key == "gui_calls":
        return f"{statistics.median(values):.0f}"
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def run_trees(script: str, sizes: Sequence[int], args_of: Callable[[int], list[str]], before: Path | None,
              repeats: int) -> tuple[list[str], dict[tuple[int, str], list[dict[str, float]]]]:
    """Every size's child (`args_of(size)`) run `repeats` times per tree: "before" (when given) and "after" (this
    checkout). Returns the trees' names in order and the rows per (size, tree)."""
    trees = {**({"before": before} if before is not None else {}), "after": CHECKOUT}
    results: dict[tuple[int, str], list[dict[str, float]]] = {}
    for _ in range(repeats):
        for size in sizes:
            for mode, tree in trees.items():
                results.setdefault((size, mode), []).append(run_child(script, args_of(size), tree))
    return list(trees), results


def sized_main(argv: list[str] | None, doc: str, script: str, child: Callable[[Path, int, float], dict[str, float]],
               *, root: Path, slowed: str, columns: Sequence[tuple[str, str]]) -> int:
    """The main of a bench whose child takes (tree, images, call_ms): `--images` sizes, `--call-ms`, `--repeats`,
    `--before`; prints a table of `columns` ((title, the child's key)) per size and tree, under a line saying what
    `slowed` each look at the share."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--images", type=int, nargs="+", default=[40, 300])
    parser.add_argument("--call-ms", type=float, default=100.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--before", type=Path, default=None, help="a tree of the code before (see the doc)")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        print(json.dumps(child(args.child, args.images[0], args.call_ms)))
        return 0
    trees, results = run_trees(script, args.images, lambda n: ["--images", str(n), "--call-ms", str(args.call_ms)],
                               args.before, args.repeats)
    print(f"Each look at {slowed} slowed by {args.call_ms:g} ms; seconds, median of {args.repeats} "
          f"(min-max); load average {os.getloadavg()[0]:.1f}\n")
    print("| images | code | " + " | ".join(title for title, _ in columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for images in args.images:
        for mode in trees:
            rows = results[(images, mode)]
            print(f"| {images:,} | {mode} | " + " | ".join(cell(rows, key) for _, key in columns) + " |")
    return 0
