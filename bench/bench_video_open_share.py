"""The GUI thread's share of a video open: synchronous (the open before c9f685a) against now.

    python bench/bench_video_open_share.py [--repeats 5] [--4k]

For each video in ../shared/data/videos (and, with --4k, the 3840×2160 clip `bench_video_open.py`
makes from the HPWREN clip), opened from image mode in a window (offscreen), medians of --repeats:

- prepare: `app.video.open_worker.prepare_video` (the reader's open: its probe decodes up to 48
  frames, the first frame; the annotations' read): what an open did on the GUI thread before it
  moved to the opener's thread (c9f685a), and what that thread does now;
- sync open: `VideoMode.open` (scripts and --screenshot: prepare, the packet index waited for, the
  video view shown), the whole synchronous open on the GUI thread;
- call now: `window.open_paths` (the window's open: it hands the file to the opener's thread and
  returns); the README's "now under 1 ms". What the window still does on the GUI thread once the
  video is opened (showing it) is `bench_video_open.py`'s "longest stall".

Prints a table in ms, with the CPU time of the GUI thread (`time.thread_time`) for prepare and the call
(a loaded machine stretches the wall time, not that). Sync and async opens alternate (the machine is shared).
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
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_video_open import SHARED, _run_loop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from video_bench_helpers import video_window  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.video.open_worker import prepare_video  # noqa: E402
from fosp_core.video.testclip import upscale_video  # noqa: E402


def _leave(window: MainWindow) -> None:
    window.video.leave()
    _run_loop(100)  # the closed video's workers wind down


def one_round(window: MainWindow, path: Path, state_root: Path) -> tuple[float, ...]:
    """(prepare, sync open, call now, prepare's CPU, call's CPU) in ms, each open from image mode."""
    c0, t0 = time.thread_time(), time.perf_counter()
    opened = prepare_video(path, state_root)
    prepare, prepare_cpu = time.perf_counter() - t0, time.thread_time() - c0
    opened.reader.close()
    t0 = time.perf_counter()
    window.video.open(path)
    sync = time.perf_counter() - t0
    _leave(window)
    shown: list[int] = []
    window.video.frame_shown.connect(shown.append)
    c0, t0 = time.thread_time(), time.perf_counter()
    window.open_paths([path], remember=False)
    call, call_cpu = time.perf_counter() - t0, time.thread_time() - c0
    if not shown:
        _run_loop(60_000, window.video.frame_shown)
    window.video.frame_shown.disconnect(shown.append)
    _leave(window)
    return 1000 * prepare, 1000 * sync, 1000 * call, 1000 * prepare_cpu, 1000 * call_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--4k", dest="uhd", action="store_true", help="also a 3840×2160 clip (upscaled, 60 frames)")
    args = parser.parse_args()
    videos = sorted(SHARED.glob("*.mp4"))
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="fosp-bench-share-") as tmp:
        root = Path(tmp)
        if args.uhd:
            source = next((v for v in videos if v.name.startswith("hpwren")), videos[0])
            videos.append(upscale_video(source, root / "uhd-hpwren.mp4", (3840, 2160), frames=60))
        window = video_window(root)
        rows = []
        for path in videos:
            runs = [one_round(window, path, window.video.state_root) for _ in range(args.repeats)]
            rows.append((path.name, *(statistics.median(r[i] for r in runs) for i in range(5))))
        window.close()
        app.processEvents()
    print(f"# {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; median of {args.repeats} opens each (ms)")
    print(f"{'video':36} {'prepare':>8} {'its CPU':>8} {'sync open':>10} {'call now':>9} {'its CPU':>8}")
    for name, prepare, sync, call, prepare_cpu, call_cpu in rows:
        print(f"{name:36} {prepare:8.1f} {prepare_cpu:8.1f} {sync:10.1f} {call:9.2f} {call_cpu:8.2f}")


if __name__ == "__main__":
    main()
