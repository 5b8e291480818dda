"""What a change of a video's marks costs the GUI thread: the ``video.json`` write (atomic, fsync'ed) of a first
commit that adds a frame's edited mark, of an undo that takes it back, and of a keyframe change. Since session
30 (task B) ``save_state`` queues that write on the video's save thread (`fosp_core.video.state_saves`).

    python bench/bench_video_state_write.py [--rounds 40] [--repeats 5] [--size 480x640]

"old" writes ``video.json`` in the call, as every version before (``save_state`` replaced by the direct write);
"new" is the code as it is. The two alternate, repeat by repeat, on one local disk. Per round: a brush stroke on
a frame with no mask (its first commit), its undo (back to no mask), a keyframe toggled; each timed on the
calling thread; the save thread waited for between rounds, outside the timing. Prints medians and maxima in ms.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.annotation.tools import brush  # noqa: E402
from fosp_core.video.errors import VideoAnnotationError  # noqa: E402
from fosp_core.video.timeline import VideoAnnotations  # noqa: E402

FRAMES = 200
STEPS = ("first commit", "undo to no mask", "keyframe")


def _run(folder: Path, shape: tuple[int, int], rounds: int, old: bool) -> dict[str, list[float]]:
    notes = VideoAnnotations(folder.parent / "cam.mp4", FRAMES, shape, folder=folder)
    notes.save_in_background = True
    if old:
        def direct() -> None:
            with contextlib.suppress(VideoAnnotationError):
                notes.flush_state()
        notes.save_state = direct  # type: ignore[method-assign]
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    try:
        for n in range(rounds):
            doc = notes.document(n % FRAMES)
            y = 10 + (n * 7) % (shape[0] - 20)
            start = time.perf_counter()
            assert brush(doc, [(10, y), (shape[1] - 10, y)], 4)
            times["first commit"].append((time.perf_counter() - start) * 1e3)
            notes.finish_saves(wait=True)
            start = time.perf_counter()
            assert doc.undo()
            times["undo to no mask"].append((time.perf_counter() - start) * 1e3)
            notes.finish_saves(wait=True)
            start = time.perf_counter()
            notes.toggle_keyframe(n % FRAMES)
            times["keyframe"].append((time.perf_counter() - start) * 1e3)
            notes.finish_saves(wait=True)
    finally:
        notes.stop_saves()
        notes.release_lock()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", default="480x640", help="HxW of the frames")
    args = parser.parse_args()
    height, width = (int(v) for v in args.size.split("x"))
    rows: dict[str, dict[str, list[float]]] = {way: {step: [] for step in STEPS} for way in ("old", "new")}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:  # a local disk (ext4 here)
        for repeat in range(args.repeats):
            for way in ("old", "new"):
                times = _run(Path(tmp) / f"{way}{repeat}" / "state", (height, width), args.rounds, way == "old")
                for step, values in times.items():
                    rows[way][step].extend(values)
            loads.append(os.getloadavg()[0])
    print(f"{args.rounds} rounds x {args.repeats} repeats at {height}x{width}, "
          f"load average {min(loads):.1f}-{max(loads):.1f}")
    print("| step (calling thread) | old median ms | old max ms | new median ms | new max ms |")
    print("|---|---|---|---|---|")
    for step in STEPS:
        old, new = rows["old"][step], rows["new"][step]
        print(f"| {step} | {statistics.median(old):.2f} | {max(old):.1f} | {statistics.median(new):.2f} | "
              f"{max(new):.1f} |")


if __name__ == "__main__":
    main()
