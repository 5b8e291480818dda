"""`fosp predict VIDEO --every N`'s frame reading on an hour of 1080p: in order (every frame decoded, as before)
against the seeking path `iter_video_frames` takes for a stride longer than the keyframe interval.

    python bench/bench_predict_stride.py [--video /tmp/b3/hour.mp4] [--strides 3000,250] [--no-in-order]

The video is the one bench/bench_video_hour.py builds (``$FOSP_BENCH_ROOT/hour.mp4``, default /tmp/b3; 90,000
frames, a keyframe every 50): skips (exit 0, saying why) when it is absent. The user cache goes under the bench
root (the packet index is kept there as in the app). For each stride: wall time and CPU time of each path, the
frames it produced, and whether they are pixel-identical (in-order frames are compared to the seeked ones).
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ROOT = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/b3"))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(frames: object) -> tuple[float, float, list]:
    wall, cpu = time.perf_counter(), _cpu()
    got = list(frames)  # type: ignore[call-overload]
    return time.perf_counter() - wall, _cpu() - cpu, got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=ROOT / "hour.mp4")
    parser.add_argument("--strides", default="3000,250")
    parser.add_argument("--no-in-order", action="store_true", help="skip the in-order path (about 2 min a stride)")
    args = parser.parse_args(argv)
    if not args.video.is_file():
        print(f"skipped: {args.video} is absent (bench/bench_video_hour.py builds it)")
        return 0
    os.environ.setdefault("FOSP_CACHE", str(ROOT / "cache"))

    import numpy as np

    from fosp_core.infer import video as infer_video
    from fosp_core.video.stream_index import scan_stream

    index = scan_stream(args.video)
    count = index.frame_count if index else infer_video.probe_video(args.video).frame_count
    gain = infer_video.seek_gain_step(index) if index else None
    print(f"{args.video}: {count} frames, {len(index.keyframes) if index else '?'} keyframes; "
          f"strides over {gain} seek")
    rows = []
    for stride in (int(s) for s in args.strides.split(",")):
        wall, cpu, seeked = _run(infer_video.iter_video_frames(args.video, step=stride))
        row = [stride, len(seeked), f"{wall:.1f}", f"{cpu:.1f}", "-", "-", "-", "-"]
        if not args.no_in_order:
            wall0, cpu0, ordered = _run(infer_video._iter_in_order(args.video, 25, 0, stride))
            same = [f.index for f in ordered] == [f.index for f in seeked] and all(
                a.rgb is not None and b.rgb is not None and np.array_equal(a.rgb, b.rgb)
                for a, b in zip(ordered, seeked, strict=True))
            row[4:] = [f"{wall0:.1f}", f"{cpu0:.1f}", f"{wall0 / max(wall, 1e-9):.0f}x", "yes" if same else "NO"]
        rows.append(row)
        print(f"stride {stride} done", flush=True)
    print("\n| --every | frames | seeking wall s | seeking CPU s | in order wall s | in order CPU s | speed-up | "
          "pixel-identical |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
