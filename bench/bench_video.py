"""Speed of the video view: scrubbing and seeking (no inference).

    python bench/bench_video.py [--markdown docs/benchmarks-video.md] [--frames 156]

Inputs: the two test videos in ../shared/data/videos (when present) and a 1080p clip made here by
upscaling the HPWREN clip with OpenCV (written to /tmp; the synthetic clip when the data is absent).
Measures, per video:
- reader, sequential: frames/s decoding forward (what playback and slow scrubbing do);
- reader, random seek: latency of `read(i)` at random frames with the frame cache off (p50/p95/max);
- GUI scrub: frames/s actually shown on the canvas while the slider moves frame by frame through the
  video (each step waits until the frame is on screen: the real display path, offscreen);
- GUI seek: latency from a jump to a random frame until it is on the canvas (p50/p95/max).
Targets: scrubbing 1080p >= 30 frames/s, seeking < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.cli.video import wait_for_index  # noqa: E402
from fosp_core.video.reader import open_video  # noqa: E402
from fosp_core.video.testclip import upscale_video, write_clip  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "videos"
HPWREN = SHARED / "hpwren-los-pinos-2019-10-06.mp4"
IJMOND = SHARED / "ijmond-blast-furnace-dusk.mp4"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def reader_numbers(path: Path, seeks: int) -> dict[str, float]:
    reader = open_video(path, cache_bytes=0)
    wait_for_index(reader, path.name)  # a read before the packet scan is done fails as 'still being indexed'
    count = reader.meta.frame_count
    start = time.perf_counter()
    for i in range(count):
        reader.read(i)
    sequential = count / (time.perf_counter() - start)
    rng = random.Random(0)
    times = []
    for _ in range(seeks):
        i = rng.randrange(count)
        t = time.perf_counter()
        reader.read(i)
        times.append((time.perf_counter() - t) * 1000)
    reader.close()
    return {"seq_fps": sequential, "seek_p50": statistics.median(times), "seek_p95": pct(times, 0.95),
            "seek_max": max(times)}


def gui_numbers(window, path: Path, seeks: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    video = window.video

    def wait_shown(index: int) -> None:
        if video.shown_index == index:
            return
        loop = QEventLoop()

        def done(i: int) -> None:
            if i == index:
                loop.quit()
        video.frame_shown.connect(done)
        QTimer.singleShot(10_000, loop.quit)
        loop.exec()
        video.frame_shown.disconnect(done)

    window.open_paths([path], remember=False)
    wait_shown(0)
    count = video.frame_count
    QApplication.processEvents()
    start = time.perf_counter()
    for i in range(1, count):
        video.timeline.slider.setValue(i)  # the user drags the slider one frame at a time
        wait_shown(i)
    scrub = (count - 1) / (time.perf_counter() - start)
    rng = random.Random(1)
    times = []
    for _ in range(seeks):
        i = rng.randrange(count)
        while i == video.index:
            i = rng.randrange(count)
        video.reader.cache.clear()  # type: ignore[union-attr]  # a cold jump, not a cache hit
        t = time.perf_counter()
        video.timeline.frame_box.setValue(i)
        wait_shown(i)
        times.append((time.perf_counter() - t) * 1000)
    return {"scrub_fps": scrub, "gui_p50": statistics.median(times), "gui_p95": pct(times, 0.95),
            "gui_max": max(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--frames", type=int, default=156, help="frames of the 1080p clip")
    parser.add_argument("--seeks", type=int, default=100, help="random jumps per video (p95 needs ~100)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    tmp = Path(tempfile.gettempdir())
    videos: list[tuple[str, Path]] = []
    if HPWREN.is_file():
        videos += [("hpwren 960×720", HPWREN), ("ijmond 600×600", IJMOND)]
        source = HPWREN
    else:
        source = write_clip(tmp / "fosp-bench-clip.mp4", frames=args.frames, size=(640, 480), fps=25.0)
    hd = tmp / "fosp-bench-1080p.mp4"
    if not hd.is_file():
        upscale_video(source, hd, (1920, 1080), frames=args.frames)
    videos.append(("1080p (upscaled hpwren)" if HPWREN.is_file() else "1080p (synthetic)", hd))

    from PySide6.QtCore import QSettings

    from app.main import create_app
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    create_app(["bench"])
    state = Path(tempfile.mkdtemp(prefix="fosp-bench-video-"))
    window = MainWindow(Services(QSettings(str(state / "s.ini"), QSettings.Format.IniFormat),
                                 CollectingErrorReporter()))
    window.video.state_root = state
    window.resize(1280, 800)
    window.show()
    rows = []
    for name, path in videos:
        opened = open_video(path)
        meta = opened.meta
        opened.close()  # only its header was wanted: its scan and decoders are not left running
        r = reader_numbers(path, args.seeks)
        g = gui_numbers(window, path, args.seeks)
        rows.append(f"| {name} | {meta.frame_count} | {r['seq_fps']:.0f} | {r['seek_p50']:.0f} / {r['seek_p95']:.0f}"
                    f" / {r['seek_max']:.0f} | **{g['scrub_fps']:.0f}** | **{g['gui_p50']:.0f}** / {g['gui_p95']:.0f}"
                    f" / {g['gui_max']:.0f} |")
    window.close()
    lines = [
        "# Video view speed (no inference)",
        "",
        f"`python bench/bench_video.py` on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPU cores (shared: load average {load:.1f} at the start), "
        f"Python {platform.python_version()}, offscreen Qt, {args.seeks} random jumps per video. "
        "Frame cache off for the reader rows; GUI rows go through the real window (slider / jump box -> "
        "decode thread -> canvas). Times in ms (p50 / p95 / max).",
        "",
        "| video | frames | reader sequential (frames/s) | reader random seek ms | GUI scrub (frames/s shown) "
        "| GUI jump-to-frame ms |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Targets: scrubbing 1080p at >= 30 frames/s; seeking to a random frame < 100 ms on the test videos.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
