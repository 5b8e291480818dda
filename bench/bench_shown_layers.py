"""The GUI thread's longest turn when switching between two results with the Focus Map and the separated
background shown (session 27, O).

Two letterboxed results of a 4000x3000 (12 MP) or 8000x6000 (48 MP) photo, their Focus Map, hole and
background held at the network's grid (`GridMap`, as the default model's runner makes them: Focus Map
24x32, hole and background at the 384x512 canvas), are shown one after the other as switching to a
cached result does (`AnalysisController._show` -> `ShownResult.show`), with the Focus Map, the
background, the probability and the τ contour shown. For each switch: the longest event-loop turn
of the GUI thread (the `_show` call itself, then each `processEvents` until every shown layer is
drawn), and the time until every shown layer is drawn. Run from a checkout's root with that checkout
on the path (before: a worktree of an older commit: `cd <worktree> && PYTHONPATH=. python
/work/main/bench/bench_shown_layers.py`); a checkout without `overlays.pending` is drawn when `_show`
returns.

    QT_QPA_PLATFORM=offscreen python bench/bench_shown_layers.py --size 12 --switches 6

`--grid` (session 27, P): the compare grid's dock shown too, the results with four strides' foreground
energies at the grid (as the default model's); a switch is over when the grid's panels are drawn as
well (a checkout without `grid.drawing` draws them in `_show`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZES = {12: (3000, 4000), 48: (6000, 8000)}
SHOWN = ("focus map", "separated background")


def letterboxed(seed: int, shape: tuple[int, int], energies: bool = False):  # noqa: ANN201
    """A letterboxed prediction of an image of `shape`, its Focus Map, hole and background at the grid."""
    from fosp_core.infer.gridmap import GridMap
    from fosp_core.infer.result import Prediction
    from fosp_core.infer.tiling import letterbox_geometry

    h, w = shape
    geom = letterbox_geometry(h, w, 512)
    rng = np.random.default_rng(seed)
    focus = GridMap(rng.random((geom.canvas_h // 16, geom.canvas_w // 16), np.float32), geom, unit=True, banded=False)
    hole = GridMap(rng.random((geom.canvas_h // 8, geom.canvas_w // 8)).repeat(8, 0).repeat(8, 1) > 0.7, geom,
                   kind="mask", banded=False)
    background = GridMap(rng.random((3, geom.canvas_h, geom.canvas_w), np.float32) * 255, geom, kind="rgb",
                         banded=False)
    energy = {s: GridMap(rng.random((geom.canvas_h // s, geom.canvas_w // s), np.float32) * s, geom)
              for s in (4, 8, 16, 32)} if energies else {}
    return Prediction(probability=rng.random(shape, np.float32), focus_map=focus, hole=hole,
                      background=background, foreground_energy=energy, tau=0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, choices=sorted(SIZES), default=12)
    parser.add_argument("--switches", type=int, default=6)
    parser.add_argument("--grid", action="store_true", help="the compare grid's dock shown too")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    app = QApplication.instance() or QApplication([])
    shape = SIZES[args.size]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "photo.png"
        Image.fromarray(np.zeros((64, 64, 3), np.uint8)).resize(shape[::-1]).save(path)
        window = MainWindow(Services(settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat),
                                     error_reporter=CollectingErrorReporter()))
        window.resize(1000, 700)
        window.show()
        window.annotation.controller.registry.projects_root = Path(tmp) / "projects"
        window.open_paths([path], remember=False)
        loop = QEventLoop()
        while window.session.current_image is None:
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        ctl = window.analysis
        for name in SHOWN:
            ctl.layers.set_visible(name, True)
        if args.grid:
            ctl.grid_dock.show()
            while not ctl.grid_dock.isVisible():
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        results = [letterboxed(1, shape, args.grid), letterboxed(2, shape, args.grid)]
        overlays = ctl.shown.overlays
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        grid = " grid dock shown," if args.grid else ""
        print(f"checkout {os.getcwd()} ({rev}), {shape[1]}x{shape[0]},{grid} load {os.getloadavg()[0]:.1f}")
        print("| switch | longest GUI turn s | _show s | layers drawn s |")
        print("|---:|---:|---:|---:|")
        longest_all: list[float] = []
        drawn_all: list[float] = []
        for i in range(args.switches):
            start = time.perf_counter()
            ctl._show(results[i % 2])
            shown = time.perf_counter() - start
            longest = shown
            while getattr(overlays, "pending", None) or getattr(ctl.grid, "drawing", None) or any(
                    window.canvas.overlay("analysis:" + n).image is None for n in SHOWN):
                t = time.perf_counter()
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
                longest = max(longest, time.perf_counter() - t)
                time.sleep(0.001)
            t = time.perf_counter()
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)  # the repaint after the last draw
            longest = max(longest, time.perf_counter() - t)
            drawn = time.perf_counter() - start
            longest_all.append(longest)
            drawn_all.append(drawn)
            print(f"| {i + 1} | {longest:.3f} | {shown:.3f} | {drawn:.3f} |")
        print(f"median longest turn {np.median(longest_all):.3f} s, max {max(longest_all):.3f} s "
              f"; layers drawn after median {np.median(drawn_all):.3f} s (load {os.getloadavg()[0]:.1f})")
        closer = getattr(overlays, "close", None)
        if closer is not None:
            closer()
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
