"""The video timeline's first paint after an open, and its repaint when the playhead moves.

    python bench/bench_timeline_paint.py [--repeats 15] [--frames 156] [--width 1300]

A fresh :class:`~app.video.timeline_widget.TimelineWidget` (offscreen, `--width` × 200, shown), then
``set_video(frames, 6 fps)`` and a synchronous repaint of the plot (what an open costs the GUI thread
for the timeline: the first paint draws the axes, their labels and the grid), then a playhead move
(``set_position``) and its synchronous repaint (once per frame during playback). Two grids,
alternated widget by widget in one process: "pyqtgraph" (``PlotItem.showGrid``, the axes' ticks
stretched across the plot, as before) and "light" (:class:`~app.video.timeline_grid.TimelineGrid`).
Prints medians and maxima (ms) as a markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.video.timeline_widget import TimelineWidget  # noqa: E402


def once(app: QApplication, light: bool, frames: int, width: int) -> tuple[float, float]:
    widget = TimelineWidget(light_grid=light)
    widget.resize(width, 200)
    widget.show()
    app.processEvents()
    start = time.perf_counter()
    widget.set_video(frames, 6.0)
    widget.plot.viewport().repaint()
    first = time.perf_counter() - start
    start = time.perf_counter()
    widget.set_position(frames // 3)
    widget.plot.viewport().repaint()
    move = time.perf_counter() - start
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return 1000 * first, 1000 * move


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--frames", type=int, default=156)
    parser.add_argument("--width", type=int, default=1300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    once(app, True, args.frames, args.width)  # fonts, first widget
    once(app, False, args.frames, args.width)
    runs: dict[str, list[tuple[float, float]]] = {"pyqtgraph": [], "light": []}
    for _ in range(args.repeats):
        for name in runs:
            runs[name].append(once(app, name == "light", args.frames, args.width))
    print(f"TimelineWidget {args.width}x200 offscreen, {args.frames} frames, {args.repeats} widgets each, "
          f"alternated; CPU {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| grid | set_video + first paint, median (max) ms | playhead move + repaint, median (max) ms |")
    print("|---|---|---|")
    for name, rows in runs.items():
        first, move = [r[0] for r in rows], [r[1] for r in rows]
        print(f"| {name} | {statistics.median(first):.1f} ({max(first):.1f}) "
              f"| {statistics.median(move):.1f} ({max(move):.1f}) |")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
