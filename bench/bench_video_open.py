"""How long opening a video blocks the window's event loop (the GUI thread).

    python bench/bench_video_open.py [--repeats 5] [--4k]

Opens each video in ../shared/data/videos (and, with --4k, a 3840×2160 clip upscaled here from the
HPWREN clip into /tmp) the way the user does (``window.open_paths``, from image mode each time) and
measures, per open, with a 1 ms repeating timer on the event loop:

- call: how long ``open_paths`` itself took (the GUI thread inside it);
- longest stall: the longest gap between two turns of the event loop from the call until the first
  frame is on the canvas (the call included): how long the window was frozen (on a loaded machine the
  OS not scheduling the process counts too);
- GUI CPU: CPU time of the GUI thread over that span (``time.thread_time``; the timer's turns included);
- first frame: from the call until the first frame was shown (``VideoMode.frame_shown``).

- last frame: from the first frame shown until a seek to the last frame showed it (the user pressing
  End at once): a read that waits for the packet scan (fosp_core.video.reader) waits here.

--synthetic also writes two long files into /tmp (removed after): 1280×720 noise-ish frames (1200 frames,
about 280 MB, 0.2-0.3 MB packets) and 320×240 ones (36 000 frames, 20 min at 30 fps), prints how long the
packet scan (``scan_stream``) takes on each, with the page cache warm and, where this process may drop it
(``/proc/sys/vm/drop_caches``, root only), cold, and opens them too. --cold drops the page cache before each
open (root only). Medians over --repeats opens (each from image mode, after the previous video was left). The event loop
waits in Qt (``QEventLoop.exec``), as in the app: a Python loop spinning on ``processEvents`` would hold
the GIL that the opening thread needs between its decoder calls. Runs offscreen. --videos: another
folder of videos (e.g. to run an older checkout's copy of this script on the same files).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from video_bench_helpers import video_window  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from fosp_core.video.stream_index import scan_stream  # noqa: E402
from fosp_core.video.testclip import upscale_video  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "videos"


class _Turns:
    """Times of the event loop's turns (a 1 ms repeating timer)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer(interval=1)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def longest_gap(self, start: float, end: float) -> float:
        marks = [start, *(t for t in self.times if start < t < end), end]
        return max(b - a for a, b in zip(marks, marks[1:], strict=False))


def _run_loop(ms: int, quit_on: object = None) -> None:
    """Run the event loop (waiting in Qt) for `ms` at most, or until the signal `quit_on` fires."""
    loop = QEventLoop()
    if quit_on is not None:
        quit_on.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    if quit_on is not None:
        quit_on.disconnect(loop.quit)  # type: ignore[attr-defined]


def write_synthetic(path: Path, frames: int, size: tuple[int, int]) -> Path:
    """An MPEG-4 Part 2 file of `frames` noise-ish frames of `size` (w, h) at 30 fps: large packets."""
    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (width, height))
    base = np.random.default_rng(0).integers(0, 256, (height + 64, width + 64, 3), dtype=np.uint8)
    for i in range(frames):
        y, x = (i * 3) % 64, (i * 5) % 64
        frame = base[y:y + height, x:x + width].copy()
        frame[:, :, 0] = frame[:, :, 0] // 2 + np.uint8(i % 128)
        writer.write(frame)
    writer.release()
    return path


def drop_page_cache() -> bool:
    """Drop the page cache (root only): the next read of a file comes from the disk. False if not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def scan_times(paths: list[Path]) -> None:
    """Print the packet scan's time on each file, warm and cold (page cache dropped, if allowed)."""
    print(f"{'packet scan':34} {'MB':>7} {'packets':>8} {'warm ms':>8} {'cold ms':>8} {'ms/packet':>10}")
    for path in paths:
        scan_stream(path)  # warm
        start = time.perf_counter()
        index = scan_stream(path)
        warm = 1000 * (time.perf_counter() - start)
        cold = float("nan")
        if drop_page_cache():
            start = time.perf_counter()
            scan_stream(path)
            cold = 1000 * (time.perf_counter() - start)
        count = index.frame_count if index is not None else 0
        print(f"{path.name:34} {path.stat().st_size / 1e6:7.0f} {count:8d} {warm:8.0f} {cold:8.0f} "
              f"{(cold if cold == cold else warm) / max(count, 1):10.3f}")


def measure(window: MainWindow, path: Path, turns: _Turns,
            cold: bool = False) -> tuple[float, float, float, float, float]:
    """(call, longest stall, GUI CPU, first frame, last frame) in ms for one open of `path` from image
    mode (`cold`: the page cache dropped first)."""
    shown: list[tuple[float, float]] = []
    if cold:
        drop_page_cache()

    def on_shown(_index: int) -> None:
        shown.append((time.perf_counter(), time.thread_time()))

    window.video.frame_shown.connect(on_shown)
    turns.times.clear()
    start, cpu = time.perf_counter(), time.thread_time()
    window.open_paths([path], remember=False)
    returned = time.perf_counter()
    if not shown:
        _run_loop(60_000, window.video.frame_shown)
    if not shown:
        raise SystemExit(f"{path.name}: no frame shown after 60 s")
    end, end_cpu = shown[0]
    window.video.frame_shown.disconnect(on_shown)
    last = window.video.frame_count - 1
    arrived: list[float] = []

    def on_last(index: int, failed: bool = False) -> None:
        if index == last and not arrived:
            arrived.append(float("nan") if failed else time.perf_counter())

    window.video.frame_shown.connect(on_last)
    window.video.frame_failed.connect(lambda index: on_last(index, failed=True))
    seek = time.perf_counter()
    window.video.seek(last)
    deadline = seek + 60
    while not arrived and time.perf_counter() < deadline:
        _run_loop(50)
    window.video.frame_shown.disconnect(on_last)
    window.video.frame_failed.disconnect()
    window.video.leave()
    _run_loop(100)  # the closed video's workers wind down
    return (1000 * (returned - start), 1000 * turns.longest_gap(start, end), 1000 * (end_cpu - cpu),
            1000 * (end - start), 1000 * (arrived[0] - seek) if arrived else float("inf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--4k", dest="uhd", action="store_true", help="also a 3840×2160 clip (upscaled, 60 frames)")
    parser.add_argument("--videos", type=Path, default=SHARED)
    parser.add_argument("--synthetic", action="store_true", help="also two long files written to /tmp")
    parser.add_argument("--only-synthetic", action="store_true", help="the long files only")
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each open (root)")
    args = parser.parse_args()
    videos = [] if args.only_synthetic else sorted(args.videos.glob("*.mp4"))
    if not videos and not (args.synthetic or args.only_synthetic):
        raise SystemExit(f"no videos in {args.videos}")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="fosp-bench-open-") as tmp:
        root = Path(tmp)
        if args.synthetic or args.only_synthetic:
            long_ones = [write_synthetic(root / "noise-720p-1200.mp4", 1200, (1280, 720)),
                         write_synthetic(root / "noise-240p-36000.mp4", 36_000, (320, 240))]
            scan_times(long_ones)
            videos += long_ones
        if args.uhd:
            source = next((v for v in videos if v.name.startswith("hpwren")), videos[0])
            videos.append(upscale_video(source, root / "uhd-hpwren.mp4", (3840, 2160), frames=60))
        window = video_window(root)
        turns = _Turns()
        turns.timer.start()
        print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"median of {args.repeats} opens each (ms)")
        print(f"{'video':34} {'size':>11} {'call':>8} {'longest stall':>14} {'GUI CPU':>8} {'first frame':>12} "
              f"{'last frame':>11}")
        for path in videos:
            runs = [measure(window, path, turns, args.cold) for _ in range(args.repeats)]
            call, stall, cpu, first, last = (statistics.median(r[i] for r in runs) for i in range(5))
            window.video.open(path)
            meta = window.video.reader.meta  # type: ignore[union-attr]
            window.video.leave()
            print(f"{path.name:34} {meta.width:>5}×{meta.height:<5} {call:8.1f} {stall:14.1f} {cpu:8.1f} {first:12.1f} "
                  f"{last:11.1f}")
        turns.timer.stop()
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
