"""What a commit on a video frame costs the GUI thread once the frame's analysis layers are up, with its
"ground truth" / "error map" layers remade and drawn (app/video/frame_truth.py), at 4000×3000.

    python bench/bench_video_frame_truth.py [--strokes 7] [--size 3000x4000] [--visible]

A window (offscreen) with a randomly initialised fosp-s at a 64 px network input (its maps matter, not
its accuracy), a 2-frame MJPG clip of the size asked for; frame 0's layers are waited for. Then, on frame 0:
the first commit (Accept-Prediction-like whole-mask replace: the label layers appear, the layer list and
every layer drawn again), then --strokes brush strokes (600 px, radius 15: only their rectangle remade, the
two label layers drawn again when --visible, the ground truth's outline traced around the rectangle only,
else only remade: they are hidden by default). Prints, per commit kind, the whole commit on the GUI thread (the painting,
the timeline's save share, the label layers) and the label layers' share (``FrameLayers._relabel``),
medians in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WAIT_S = 300.0  # the longest wait for the model, the clip or its layers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", type=int, default=7)
    parser.add_argument("--size", default="3000x4000", help="HxW")
    parser.add_argument("--visible", action="store_true", help="the ground truth and error map layers shown")
    args = parser.parse_args()
    height, width = (int(v) for v in args.size.split("x"))
    load = os.getloadavg()[0]

    import numpy as np
    import torch
    from video_bench_helpers import video_window, wait

    from app.main import create_app
    from fosp_core.annotation.tools import brush
    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model
    from fosp_core.video.testclip import write_clip

    torch.set_num_threads(1)
    state = Path(tempfile.mkdtemp(prefix="fosp-bench-truth-"))
    torch.manual_seed(0)
    checkpoint = save_checkpoint(build_model("fosp-s").eval(), state / "fosp-s.safetensors")
    clip = write_clip(state / "clip.avi", frames=2, size=(width, height), fourcc="MJPG")
    create_app(["bench"])
    window = video_window(state, (1280, 800))
    ctl = window.analysis
    ctl.worker.set_input_size(64)
    for name in ("ground truth", "error map"):
        ctl.layers.set_visible(name, args.visible)
    ctl.settings.set_checkpoint(checkpoint)
    wait(lambda: ctl.model is not None, WAIT_S)
    video = window.video
    layers = video.frame_layers
    window.open_paths([clip], remember=False)
    wait(lambda: video.shown_index == 0 and video.models.fn is not None, WAIT_S)
    wait(lambda: layers.frame == 0, WAIT_S)
    layers.timer.stop()
    doc = video.document
    assert doc is not None

    relabel_ms: list[float] = []
    real = layers._relabel

    def timed() -> None:
        start = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.runcall(real)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(18)
        else:
            real()
        relabel_ms.append(1000 * (time.perf_counter() - start))

    layers.truth.changed = timed
    rows: dict[str, list[tuple[float, float]]] = {"first (whole mask)": [], "stroke": []}
    mask = np.zeros((height, width), np.uint8)
    mask[height // 3:2 * height // 3, width // 3:2 * width // 3] = 1
    start = time.perf_counter()
    assert doc.replace_mask(mask)
    rows["first (whole mask)"].append((1000 * (time.perf_counter() - start), relabel_ms[-1]))
    assert "ground truth" in layers.arrays
    for i in range(args.strokes):
        y = height // 10 + i * height // (args.strokes + 2)
        start = time.perf_counter()
        assert brush(doc, [(width // 5, y), (width // 5 + 600, y + 40)], 15)
        rows["stroke"].append((1000 * (time.perf_counter() - start), relabel_ms[-1]))
        video.annotations.finish_saves(wait=True)  # the save thread done: not competing with the next
    video.annotations.finish_saves(wait=True)
    window.close()
    print(f"load {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; {width}×{height}, "
          f"{os.cpu_count()} cores; label layers {'shown' if args.visible else 'hidden'}; medians (ms)")
    print(f"{'commit':>20} {'n':>3} {'commit on GUI':>14} {'label layers':>13}")
    for kind, values in rows.items():
        print(f"{kind:>20} {len(values):3d} {statistics.median(v for v, _ in values):14.1f} "
              f"{statistics.median(r for _, r in values):13.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
