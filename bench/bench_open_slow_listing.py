"""The GUI thread while a folder on a disk slow to list (a network share) opens: how long the window stops
turning, and when the first image is shown.

    python bench/bench_open_slow_listing.py [--images 300 6000] [--entry-ms 0.5] [--repeats 1] [--before TREE]

A folder of --images tiny JPEGs (hard links of one 16x16 JPEG, made once under $FOSP_BENCH_ROOT, default
/tmp/fosp-bench-open-slow-listing) is opened in a window (offscreen; HOME and the caches in a scratch folder),
its listing slowed by --entry-ms per directory entry (``os.scandir`` where `fosp_core.io.image_files` lists a
folder: a share answering slowly). Each run is a child process importing the code of a tree: "after" is this
checkout, "before" is --before (e.g. ``git archive`` of the commit before session 35's change: the GUI thread
listed up to 4 000 images itself, `app.opening._gather_now`).

Prints a markdown table, per folder size and tree: ``open_paths`` (the GUI thread's time in the call), the
longest gap between two beats of a 3 ms timer on the GUI thread (from the call until the images are shown), and
the time until the first image is the session's current one (the open applied).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT_TMP = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/fosp-bench-open-slow-listing"))


def build_folder(images: int) -> Path:
    """`images` hard links of one tiny JPEG (made once)."""
    folder = ROOT_TMP / f"folder-{images}"
    if folder.is_dir() and len(os.listdir(folder)) == images:
        return folder
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    seed = ROOT_TMP / "seed.jpg"
    Image.new("RGB", (16, 16), (90, 90, 90)).save(seed)
    for number in range(images):
        target = folder / f"img_{number:06d}.jpg"
        if not target.exists():
            os.link(seed, target)
    return folder


class _SlowScan:
    """``os`` for `fosp_core.io.image_files`, its ``scandir`` yielding an entry every `delay` seconds."""

    def __init__(self, delay: float) -> None:
        self._delay = delay

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def scandir(self, path):  # noqa: ANN001, ANN201
        delay = self._delay

        class Slow:
            def __enter__(self):  # noqa: ANN204
                self._scan = os.scandir(path)
                self._entries = self._scan.__enter__()
                return self

            def __exit__(self, *exc):  # noqa: ANN002, ANN204
                return self._scan.__exit__(*exc)

            def __iter__(self):  # noqa: ANN204
                for entry in self._entries:
                    time.sleep(delay)
                    yield entry

        return Slow()


def child(tree: Path, images: int, entry_ms: float) -> dict[str, float]:
    """One window opening the folder, in this process (its imports from `tree`)."""
    sys.path.insert(0, str(tree))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = ROOT_TMP / f"scratch-{os.getpid()}"
    for var, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
        os.environ[var] = os.fspath(scratch / sub)
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    import fosp_core
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from fosp_core.io import image_files

    assert Path(fosp_core.__file__).resolve().is_relative_to(tree.resolve()), fosp_core.__file__
    folder = build_folder(images)
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = scratch / "projects"
    window.resize(1280, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.003)
    image_files.os = _SlowScan(entry_ms / 1000)  # type: ignore[attr-defined]
    beats = [time.perf_counter(), 0.0]  # the last turn of the event loop, the longest gap between two

    def beat() -> None:
        now = time.perf_counter()
        beats[1], beats[0] = max(beats[1], now - beats[0]), now

    heart = QTimer(interval=3, timerType=Qt.TimerType.PreciseTimer, timeout=beat)
    heart.start()
    app.processEvents()
    start = beats[0] = time.perf_counter()
    window.open_paths([folder], remember=False)
    returned = time.perf_counter() - start
    beat()
    while window.session.current_path is None or window.opener.busy:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    beat()
    heart.stop()
    assert len(window.session) == images, len(window.session)
    window.close()
    app.processEvents()
    return {"open_paths": returned, "gap": beats[1], "shown": shown}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, nargs="+", default=[300, 6000])
    parser.add_argument("--entry-ms", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--before", type=Path, default=None, help="a tree of the code before (see the doc)")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    ROOT_TMP.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        print(json.dumps(child(args.child, args.images[0], args.entry_ms)))
        return 0
    trees = {"after": HERE.parent}
    if args.before is not None:
        trees = {"before": args.before, **trees}
    results: dict[tuple[int, str], list[dict[str, float]]] = {}
    for _ in range(args.repeats):
        for images in args.images:
            for mode, tree in trees.items():
                done = subprocess.run([sys.executable, __file__, "--images", str(images), "--entry-ms",
                                       str(args.entry_ms), "--child", str(tree)],
                                      capture_output=True, text=True, check=True, cwd=tree)
                results.setdefault((images, mode), []).append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"A folder listed at {args.entry_ms} ms an entry; seconds, median of {args.repeats} (min-max); load "
          f"average {os.getloadavg()[0]:.1f}\n")
    print("| images | code | GUI thread in open_paths | longest event-loop gap | first image shown |")
    print("|---|---|---|---|---|")

    def cell(rows: list[dict[str, float]], key: str) -> str:
        values = [row[key] for row in rows]
        return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"

    for images in args.images:
        for mode in trees:
            rows = results[(images, mode)]
            print(f"| {images:,} | {mode} | " + " | ".join(cell(rows, key) for key in ("open_paths", "gap", "shown"))
                  + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
