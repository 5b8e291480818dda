"""Scrubbing and jumping in the video view with a model loaded, with and without the frame's analysis
layers (app/video/frame_layers.py): the layers must cost playback and scrubbing nothing.

    python bench/bench_video_layers.py [--frames 60] [--jumps 20]
    PYTHONPATH=<a checkout before the layers> python <it>/bench/bench_video_layers.py   # the before row

Opens the HPWREN clip (a synthetic 960x720 clip when the data is absent) in a window whose Model panel
has a randomly initialised fosp-s loaded (the network's cost, not its accuracy, matters here), waits for
the video's own model, then: GUI scrub (frames/s shown while the slider moves frame by frame), GUI jump
(ms from a jump to a random frame until it is on the canvas, p50 / p95), the full-layer runs started
during both (frames passed over: none expected), and, with the layers, the time from a frame's settle
to its layers on the canvas (the network's run plus the arrays, off the GUI thread).
"""

from __future__ import annotations

import argparse
import os
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

SHARED = Path("/work/shared/data/videos") if Path("/work/shared/data/videos").is_dir() else \
    ROOT.parent / "shared" / "data" / "videos"
HPWREN = SHARED / "hpwren-los-pinos-2019-10-06.mp4"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=60, help="frames scrubbed one by one")
    parser.add_argument("--jumps", type=int, default=20, help="random jumps")
    args = parser.parse_args()
    load = os.getloadavg()[0]

    import torch
    from video_bench_helpers import video_window, wait

    from app.main import create_app
    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model
    from fosp_core.video.testclip import write_clip

    state = Path(tempfile.mkdtemp(prefix="fosp-bench-layers-"))
    torch.manual_seed(0)
    checkpoint = save_checkpoint(build_model("fosp-s").eval(), state / "fosp-s.safetensors")
    clip = HPWREN if HPWREN.is_file() else write_clip(state / "clip.mp4", frames=156, size=(960, 720))
    create_app(["bench"])
    window = video_window(state, (1280, 800))
    ctl = window.analysis
    ctl.settings.set_checkpoint(checkpoint)
    wait(lambda: ctl.model is not None)
    video = window.video
    layers = getattr(video, "frame_layers", None)
    window.open_paths([clip], remember=False)
    wait(lambda: video.shown_index == 0 and video.models.fn is not None)
    settle = float("nan")
    if layers is not None:
        start = time.perf_counter()
        wait(lambda: layers.frame == 0)  # the first: the layers' model loads too
        first = time.perf_counter() - start
    count = min(video.frame_count, args.frames + 1)
    start = time.perf_counter()
    for i in range(1, count):
        video.timeline.slider.setValue(i)
        wait(lambda i=i: video.shown_index == i)
    scrub = (count - 1) / (time.perf_counter() - start)
    rng = random.Random(1)
    times = []
    for _ in range(args.jumps):
        i = rng.randrange(video.frame_count)
        while i == video.index:
            i = rng.randrange(video.frame_count)
        t = time.perf_counter()
        video.timeline.frame_box.setValue(i)
        wait(lambda i=i: video.shown_index == i)
        times.append((time.perf_counter() - t) * 1000)
    runs = len(layers.started) - 1 if layers is not None else 0  # besides frame 0's
    if layers is not None:
        target = video.index
        start = time.perf_counter()
        wait(lambda: layers.frame == target)
        settle = (time.perf_counter() - start) * 1000
    window.close()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    which = "with frame layers" if layers is not None else "before (no frame layers)"
    print(f"load {load:.1f}; {clip.name}, fosp-s at 512 px, {os.cpu_count()} cores")
    print("| build | GUI scrub (frames/s) | GUI jump ms p50 / p95 | layer runs while scrubbing/jumping "
          "| last jump: settle -> layers ms | first frame's layers (model load) s |")
    print("|---|---|---|---|---|---|")
    print(f"| {which} | {scrub:.0f} | {statistics.median(times):.0f} / {p95:.0f} | {runs} | {settle:.0f} | "
          f"{first if layers is not None else float('nan'):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
