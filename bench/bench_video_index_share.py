"""What the prediction worker's reader costs once the app's reader of the same video is indexed.

    python bench/bench_video_index_share.py [--repeats 5] [--long-frames 6000]

For each video in ../shared/data/videos and a long synthetic one written into /tmp (320×240 MJPG at 30 fps,
--long-frames frames, removed after): the app's reader is opened and indexed, then a second reader is opened
as the prediction worker opens its own (``cache_bytes=32 MiB, decoders=1``) and timed until its index is in
(``wait_for_index``). "scan again" forgets the shared index first (``index_cache.clear()``: as before
fosp_core.video.index_cache, every reader scanned its file), "shared" keeps it. The two are interleaved,
repeat by repeat (the machine is shared); medians, and the packet scans run (counted by index_cache).
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

from fosp_core.video import index_cache  # noqa: E402
from fosp_core.video.reader import open_video, wait_for_index  # noqa: E402
from fosp_core.video.testclip import write_clip  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "videos"


def _second_reader_s(path: Path, shared: bool) -> tuple[float, int]:
    """Seconds until the worker-like reader is indexed, and the scans run for it."""
    first = open_video(path)
    wait_for_index(first)
    if not shared:
        index_cache.clear()
    scans = index_cache.scans_run()
    started = time.perf_counter()
    second = open_video(path, cache_bytes=32 * 1024 * 1024, decoders=1)
    wait_for_index(second, poll_s=0.001)
    took = time.perf_counter() - started
    second.close()
    first.close()
    return took, index_cache.scans_run() - scans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--long-frames", type=int, default=6000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fosp-bench-index-") as tmp:
        long = write_clip(Path(tmp) / "long.avi", frames=args.long_frames, fps=30.0, size=(320, 240), fourcc="MJPG")
        videos = [*sorted(SHARED.glob("*.mp4")), long]
        print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {args.repeats} repeats, interleaved")
        print(f"{'video':40} {'frames':>7} {'scan again (ms)':>16} {'shared (ms)':>12} {'scans again/shared':>19}")
        for video in videos:
            times: dict[bool, list[float]] = {False: [], True: []}
            scans: dict[bool, int] = {False: 0, True: 0}
            for _ in range(args.repeats):
                for shared in (False, True):
                    took, ran = _second_reader_s(video, shared)
                    times[shared].append(took)
                    scans[shared] += ran
            reader = open_video(video)
            frames = reader.meta.frame_count
            reader.close()
            print(f"{video.name[:40]:40} {frames:>7} {1000 * statistics.median(times[False]):>16.1f} "
                  f"{1000 * statistics.median(times[True]):>12.1f} {scans[False]:>9}/{scans[True]}")
        print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
