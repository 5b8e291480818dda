"""Listing a big folder as the window's open does, with and without the videos beside its images.

    python bench/bench_folder_listing.py [--images 100000] [--videos 20] [--others 1000] [--repeats 5]

Makes a temporary folder of empty files (`--images` .jpg, `--videos` .mp4, `--others` .txt) and times
(this process's CPU time, which moves less than the wall clock on a shared machine; median of `--repeats`) `collect_image_paths([folder])` and, where this version has it,
`collect_image_paths([folder], videos=[...])` (the videos from the same scandir pass), beside a second
``scandir`` pass for the videos alone (what the videos would cost listed apart). Run it from a copy of an
older revision to compare: it imports the package of the tree it lives in. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fosp_core.session import collect_image_paths  # noqa: E402

VIDEO_EXTENSIONS = (".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm", ".mpg", ".mpeg", ".wmv")


def timed(run: Callable[[], object], repeats: int) -> float:
    """Median CPU seconds of `run` over `repeats` runs (after one warm-up)."""
    run()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def videos_apart(folder: Path) -> list[str]:
    """The video names of `folder` from a scandir pass of their own."""
    with os.scandir(folder) as entries:
        return [e.name for e in entries if os.path.splitext(e.name)[1].lower() in VIDEO_EXTENSIONS and e.is_file()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=100_000)
    parser.add_argument("--videos", type=int, default=20)
    parser.add_argument("--others", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "day"
        folder.mkdir()
        for count, pattern in ((args.images, "img_{:06d}.jpg"), (args.videos, "clip_{:03d}.mp4"),
                               (args.others, "note_{:04d}.txt")):
            for i in range(count):
                (folder / pattern.format(i)).touch()
        rows = [("collect_image_paths([folder])", timed(lambda: collect_image_paths([folder]), args.repeats))]
        if "videos" in inspect.signature(collect_image_paths).parameters:
            rows.append(("collect_image_paths([folder], videos=[])",
                         timed(lambda: collect_image_paths([folder], videos=[]), args.repeats)))
        rows.append(("a scandir pass of its own for the videos", timed(lambda: videos_apart(folder), args.repeats)))
    print(f"folder: {args.images:,} images, {args.videos} videos, {args.others:,} other files; "
          f"median of {args.repeats}; load {os.getloadavg()[0]:.1f}; code: {Path(__file__).resolve().parents[1]}\n")
    print("| listing | CPU ms |\n|---|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.0f} |")


if __name__ == "__main__":
    main()
