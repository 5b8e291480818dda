"""What taking a frame save's end costs the GUI thread (``VideoAnnotations.finish_saves``, called when the save
thread notifies), and what the save thread's lock check adds to a write: since session 29 (task K) the save
thread reads the folder's ``lock`` file before each PNG write or removal (``FolderLock.save_check``) and the
GUI thread reads it once more before a taken save removes the frame's recovery log (``found_lost``).

    python bench/bench_video_save_end.py [--saves 300] [--repeats 5] [--size 480x640]

"old" turns both checks off (``save_check`` gives none, ``found_lost`` says the lock is held, as every version
before); "new" is the code as it is. The two alternate, repeat by repeat, on one annotation folder (local disk).
Per save: a brush stroke on one of 20 frames, the save thread waited for (outside the timing of the first
column), then ``finish_saves`` timed ("take the end", GUI thread); "write" is the save thread's job from its
start to its end (its fsync of the log, the PNG's encoding and atomic write, and the check), timed there.
Prints medians in microseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.annotation.tools import brush  # noqa: E402
from fosp_core.video import frame_saves  # noqa: E402
from fosp_core.video.timeline import VideoAnnotations  # noqa: E402

FRAMES = 20


def _run(folder: Path, shape: tuple[int, int], saves: int, old: bool) -> tuple[list[float], list[float]]:
    notes = VideoAnnotations(folder.parent / "cam.mp4", FRAMES, shape, folder=folder)
    notes.save_in_background = True
    if old:
        notes.save_check = lambda: None  # type: ignore[method-assign]
        notes.found_lost = lambda index: False  # type: ignore[method-assign]
    writes: list[float] = []
    real = frame_saves._write_frame

    def timed(job: frame_saves.SaveJob) -> None:
        start = time.perf_counter()
        real(job)
        writes.append((time.perf_counter() - start) * 1e6)

    frame_saves._write_frame = timed  # type: ignore[assignment]
    takes: list[float] = []
    try:
        for n in range(saves):
            doc = notes.document(n % FRAMES)
            y = 10 + (n * 7) % (shape[0] - 20)
            assert brush(doc, [(10, y), (shape[1] - 10, y)], 4)
            assert notes._saver is not None
            notes._saver.wait()
            start = time.perf_counter()
            notes.finish_saves()
            takes.append((time.perf_counter() - start) * 1e6)
    finally:
        frame_saves._write_frame = real  # type: ignore[assignment]
        notes.stop_saves()
        notes.release_lock()
    return takes, writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", default="480x640", help="HxW of the frames")
    args = parser.parse_args()
    height, width = (int(v) for v in args.size.split("x"))
    rows: dict[str, tuple[list[float], list[float]]] = {"old": ([], []), "new": ([], [])}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            for way in ("old", "new"):
                takes, writes = _run(Path(tmp) / f"{way}{repeat}" / "state", (height, width), args.saves, way == "old")
                rows[way][0].extend(takes)
                rows[way][1].extend(writes)
    load = os.getloadavg()[0]
    print(f"{args.saves} saves x {args.repeats} repeats at {height}x{width}, load {load:.1f}")
    print("| way | take the end (GUI thread) µs median | write (save thread) µs median |")
    print("|---|---|---|")
    for way, (takes, writes) in rows.items():
        print(f"| {way} | {statistics.median(takes):.0f} | {statistics.median(writes):.0f} |")


if __name__ == "__main__":
    main()
