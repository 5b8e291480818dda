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
import sys
import time
from pathlib import Path

from gui_child import Heart, cell, run_trees, window_in

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
    scratch = ROOT_TMP / f"scratch-{os.getpid()}"
    app, window = window_in(tree, scratch, projects_root=scratch / "projects")
    from fosp_core.io import image_files

    folder = build_folder(images)
    image_files.os = _SlowScan(entry_ms / 1000)  # type: ignore[attr-defined]
    heart = Heart()
    heart.start()
    app.processEvents()
    start = heart.restart()
    window.open_paths([folder], remember=False)
    returned = time.perf_counter() - start
    heart.beat()
    while window.session.current_path is None or window.opener.busy:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    heart.stop()
    assert len(window.session) == images, len(window.session)
    window.close()
    app.processEvents()
    return {"open_paths": returned, "gap": heart.longest, "shown": shown}


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
    trees, results = run_trees(__file__, args.images, lambda n: ["--images", str(n), "--entry-ms", str(args.entry_ms)],
                               args.before, args.repeats)
    print(f"A folder listed at {args.entry_ms} ms an entry; seconds, median of {args.repeats} (min-max); load "
          f"average {os.getloadavg()[0]:.1f}\n")
    print("| images | code | GUI thread in open_paths | longest event-loop gap | first image shown |")
    print("|---|---|---|---|---|")

    for images in args.images:
        for mode in trees:
            rows = results[(images, mode)]
            print(f"| {images:,} | {mode} | " + " | ".join(cell(rows, key) for key in ("open_paths", "gap", "shown"))
                  + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
