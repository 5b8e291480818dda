"""A big folder in the window: opening it, its thumbnails, and the worklist's refresh.

    python bench/bench_big_folder.py [FOLDER] [--sample 200]

FOLDER defaults to SMOKE5K's photos (../shared/data/smoke5k-train/img) and falls back to the
bundled demo. Prints two markdown tables:

1. one thumbnail (`app.loader`'s task: decode, then scale into the 128×96 box), median over
   `--sample` files of the folder by image size, plus a 4000×3000 JPEG made from one of them (a
   camera's full frame): a full decode against the reduced JPEG decode the list uses
   (`read_image(..., min_side=128)`);
2. the real window (offscreen) opening the folder (its annotation project made in a temporary
   folder): the time `open_paths` holds the GUI thread before it returns (a big folder is listed,
   and its project made, on a worker thread: `app.opening`), the longest the GUI thread then went
   without handling events until the loader was idle (the gap between two turns of the event loop,
   5 ms apart when nothing happens: applying the result, garbage collection, the worker holding the
   GIL), the time until the images were in the list; how many thumbnails it decodes before the loader goes idle and the
   time until then, how many after scrolling to the end (the list makes thumbnails only for the
   rows in view and a page either side, at most `MAX_THUMBNAILS` kept), and the worklist's
   refresh, which runs after every committed stroke (median of 5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402

from app.loader import THUMBNAIL_SIZE, make_thumbnail  # noqa: E402
from fosp_core.io.images import list_images, read_image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def default_folder() -> Path:
    smoke5k = ROOT.parent / "shared" / "data" / "smoke5k-train" / "img"
    return smoke5k if smoke5k.is_dir() else ROOT / "resources" / "demo" / "JPEGImages"


def per_thumbnail_ms(files: list[Path], min_side: int | None) -> float:
    times = []
    for path in files:
        start = time.perf_counter()
        make_thumbnail(read_image(path, min_side=min_side).rgb)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def open_in_window(folder: Path) -> dict[str, float]:
    """Opening `folder` in the window; see the module doc for the figures."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    app = QApplication.instance() or QApplication([])
    scratch = Path(tempfile.mkdtemp())
    settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = scratch / "projects"  # nothing written beside the images
    window.resize(1280, 800)
    window.show()
    requested = [0]
    window.image_list.thumbnails_wanted.connect(lambda paths: requested.__setitem__(0, requested[0] + len(paths)))

    gaps = [0.0]  # the longest time between two turns of the event loop (5 ms apart when idle)

    def turn(last: float) -> float:
        app.processEvents()
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last)
        time.sleep(0.005)
        return now

    def settle(last: float) -> None:  # until the list has asked and the loader has delivered everything
        quiet_since = time.perf_counter()
        while time.perf_counter() - quiet_since < 0.3:
            last = turn(last)
            if window.loader.pending:
                quiet_since = time.perf_counter()

    start = time.perf_counter()
    window.open_paths([folder], remember=False)
    last = time.perf_counter()
    out = {"open": last - start}
    while window.opener.running:  # a big folder is listed on a worker thread
        last = turn(last)
    out["opened"] = time.perf_counter() - start
    settle(last)
    out.update(stall=gaps[0], idle=time.perf_counter() - start - 0.3, at_open=requested[0])
    window.image_list.scrollToBottom()
    settle(time.perf_counter())
    out["after_scroll"] = requested[0]
    refreshes = []
    for _ in range(5):
        start = time.perf_counter()
        window.annotation.worklist.refresh()
        refreshes.append(time.perf_counter() - start)
    out["refresh_ms"] = 1000 * statistics.median(refreshes)
    window.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=default_folder())
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args(argv)
    files = list_images(args.folder)
    sample = files[:: max(1, len(files) // args.sample)][: args.sample]
    by_size: dict[tuple[int, int], list[Path]] = {}
    for path in sample:
        h, w = read_image(path).rgb.shape[:2]
        by_size.setdefault((w, h), []).append(path)
    big = Path(tempfile.mkdtemp()) / "frame-4000x3000.jpg"
    photo = max(by_size)  # the largest size in the sample
    Image.fromarray(read_image(by_size[photo][0]).rgb).resize((4000, 3000), Image.Resampling.BICUBIC).save(
        big, quality=92)
    by_size[(4000, 3000)] = [big] * 10
    print(f"{args.folder}: {len(files)} images\n")
    print("| one thumbnail (median) | files | full decode | reduced JPEG decode | faster |")
    print("|---|---|---|---|---|")
    for (w, h), group in sorted(by_size.items()):
        full = per_thumbnail_ms(group, None)
        reduced = per_thumbnail_ms(group, max(THUMBNAIL_SIZE))
        print(f"| {w}×{h} | {len(group)} | {full:.1f} ms | {reduced:.1f} ms | {full / reduced:.1f}× |")
    got = open_in_window(args.folder)
    print("\n| open the folder in the window (1280×800) | `open_paths` holds the GUI thread | then the longest"
          " gap between two turns of the event loop | images listed after | thumbnails decoded | until the loader is idle |"
          " after scrolling to the end | worklist refresh (after each stroke) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {len(files)} images | {got['open']:.2f} s | {got['stall']:.2f} s | {got['opened']:.2f} s | "
          f"{got['at_open']} (was {len(files)}: every image) | {got['idle']:.2f} s | {got['after_scroll']} | "
          f"{got['refresh_ms']:.1f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
