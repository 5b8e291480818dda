"""The Qt events that reach GridCorner's Python event filter (the window's bottom-right corner,
app/analysis/grid_corner.py), and the time spent in it.

    python bench/bench_grid_corner_filter.py [--seconds 4] [--repeats 2] [--old PATH]

The real main window (1600x1000, offscreen, no model) in two cases, a fresh window each:

* images: the bundled demo photos open, the compare grid open (Ctrl+Shift+G), the next image shown
  every 100 ms (Right) for ``--seconds``;
* video: a synthetic 640x360 clip (24 fps) opened and played for ``--seconds``, again from the start
  whenever it ends.

Measured: the calls of ``GridCorner.eventFilter`` a second and the time in them (ms a second, Python's
call included), frames or images shown. ``--old PATH``: each case also with the GridCorner of the module
at PATH (e.g. ``git show <commit>:app/analysis/grid_corner.py > /tmp/old_grid_corner.py``), run first,
interleaved with the current one. Prints a markdown table and the load average.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from video_bench_helpers import video_window, wait  # noqa: E402

from app.analysis import chrome, grid_corner  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402
from fosp_core.video.testclip import write_clip  # noqa: E402

calls = [0]
spent = [0.0]


def counting(cls: type) -> type:
    """`cls` with its eventFilter counted and timed."""
    plain = cls.eventFilter

    def counted(self: QObject, watched: QObject, event: object) -> bool:
        calls[0] += 1
        start = time.perf_counter()
        try:
            return plain(self, watched, event)
        finally:
            spent[0] += time.perf_counter() - start

    cls.eventFilter = counted  # type: ignore[method-assign]
    return cls


def run_loop(seconds: float) -> float:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    start = time.perf_counter()
    loop.exec()
    return time.perf_counter() - start


def one_case(folder: Path, case: str, seconds: float, clip: Path) -> dict[str, float]:
    folder.mkdir()
    window = video_window(folder)
    window.open_paths(sorted((DEMO_DIR / "JPEGImages").glob("*.jpg")), remember=False)
    wait(lambda: window.session.current_image is not None, 30)
    window.analysis.grid_dock.toggleViewAction().trigger()
    shown = [0]
    if case == "images":
        session = window.session
        session.events.image_changed.connect(lambda image: image is not None and shown.__setitem__(0, shown[0] + 1))
        step = QTimer(interval=100)
        step.timeout.connect(lambda: session.set_current((session.current_index + 1) % len(session.paths)))
        calls[0], spent[0] = 0, 0.0
        step.start()
        took = run_loop(seconds)
        step.stop()
    else:
        video = window.video
        video.frame_shown.connect(lambda _i: shown.__setitem__(0, shown[0] + 1))
        window.open_paths([clip], remember=False)
        wait(lambda: shown[0] > 0, 30)
        video.playback.playing_changed.connect(
            lambda on: on or QTimer.singleShot(0, lambda: video.seek(0) or video.toggle_play()))
        calls[0], spent[0], shown[0] = 0, 0.0, 0
        video.toggle_play()
        took = run_loop(seconds)
        video.playback.playing_changed.disconnect()
        if video.playback.playing:
            video.toggle_play()
    window.close()
    run_loop(0.3)  # its threads wind down
    return {"filter/s": calls[0] / took, "filter ms/s": 1000 * spent[0] / took, "shown": shown[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--old", type=Path, help="a grid_corner.py to compare with (run first)")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    current = counting(grid_corner.GridCorner)
    variants = [("now", current)]
    if args.old is not None:
        spec = importlib.util.spec_from_file_location("old_grid_corner", args.old)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        variants.insert(0, ("before", counting(module.GridCorner)))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        clip = write_clip(Path(tmp) / "clip.mp4", frames=48, size=(640, 360), fps=24.0)
        n = 0
        for _ in range(args.repeats):
            for case in ("images", "video"):
                for name, cls in variants:
                    chrome.GridCorner = cls  # type: ignore[attr-defined]  # build_docks makes the window's
                    n += 1
                    rows.append((case, name, one_case(Path(tmp) / f"w{n}", case, args.seconds, clip)))
    print(f"load average {os.getloadavg()[0]:.1f}, {args.seconds:g} s a case")
    print("| case | GridCorner | filter calls/s | filter ms/s | images or frames shown |")
    print("|---|---|---|---|---|")
    for case, name, out in rows:
        print(f"| {case} | {name} | {out['filter/s']:.0f} | {out['filter ms/s']:.2f} | {out['shown']:.0f} |")


if __name__ == "__main__":
    main()
