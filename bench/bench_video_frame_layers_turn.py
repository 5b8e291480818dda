"""What a settled video frame's analysis layers cost the GUI thread at 1080p (app/video/frame_layers.py), to
decide whether they must be made on a worker as the image view's are (`app.analysis.shown_work`).

    python bench/bench_video_frame_layers_turn.py [--frames 8] [--repeats 2]

Opens a 1080p clip (the HPWREN smoke clip of /work/shared/data upscaled to 1920x1080, 40 frames; a
synthetic clip when the data is absent) in a window whose Model panel holds a randomly initialised fosp-s at
512 px (the network's cost, not its accuracy, matters). For each of `--frames` frames: a jump to it, its layers
computed (their arrays prepared on the inference thread), then a jump away and back (its layers from the
cache: the arrays made where they are shown, the GUI thread). Timed on the GUI thread: `FrameLayers._show`
(the whole show), its `shown_layers` call (the layer arrays), and the longest event-loop turn from the jump to
the layers on the canvas (one `processEvents` call: the frame's decode answer, its paint, the layers' show),
and the parts of `_show` (overlays, layer list, hover readout, the painted mask's label layers).
Prints medians and maxima in ms.
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

SHARED = Path("/work/shared/data/videos")
HPWREN = SHARED / "hpwren-los-pinos-2019-10-06.mp4"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]

    import torch
    from PySide6.QtWidgets import QApplication
    from video_bench_helpers import video_window

    import app.video.frame_layers as frame_layers
    from app.main import create_app
    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model
    from fosp_core.video.testclip import upscale_video, write_clip

    state = Path(tempfile.mkdtemp(prefix="fosp-bench-layers-turn-"))
    torch.manual_seed(0)
    checkpoint = save_checkpoint(build_model("fosp-s").eval(), state / "fosp-s.safetensors")
    clip = state / "clip1080.mp4"
    if HPWREN.is_file():
        upscale_video(HPWREN, clip, (1920, 1080), frames=40)
    else:
        write_clip(clip, frames=40, size=(1920, 1080))
    create_app(["bench"])
    window = video_window(state, (1600, 1000))

    def wait(predicate, timeout_s: float = 180.0) -> float:  # type: ignore[no-untyped-def]
        """Process events until `predicate()`; the longest turn (ms)."""
        longest, deadline = 0.0, time.perf_counter() + timeout_s
        while not predicate():
            if time.perf_counter() > deadline:
                raise TimeoutError("gave up waiting")
            start = time.perf_counter()
            QApplication.processEvents()
            longest = max(longest, (time.perf_counter() - start) * 1e3)
            time.sleep(0.001)
        return longest

    ctl = window.analysis
    ctl.settings.set_checkpoint(checkpoint)
    wait(lambda: ctl.model is not None)
    video = window.video
    layers = video.frame_layers
    window.open_paths([clip], remember=False)
    wait(lambda: video.shown_index == 0 and video.models.fn is not None)
    wait(lambda: layers.frame == 0)  # the layers' model loaded
    shows: dict[str, list[float]] = {"computed": [], "cached": []}
    arrays: dict[str, list[float]] = {"computed": [], "cached": []}
    longest: dict[str, list[float]] = {"computed": [], "cached": []}
    real_show, real_shown_layers = layers._show, frame_layers.shown_layers
    way = ["computed"]

    def timed_shown_layers(*a, **k):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        out = real_shown_layers(*a, **k)
        arrays[way[0]].append((time.perf_counter() - start) * 1e3)
        return out

    def timed_show(index, prediction, prepared) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        real_show(index, prediction, prepared)
        shows[way[0]].append((time.perf_counter() - start) * 1e3)

    layers._show = timed_show
    frame_layers.shown_layers = timed_shown_layers
    parts: dict[str, list[float]] = {}
    analysis = layers.analysis
    for owner, name in ((analysis.overlays, "show"), (analysis.layer_list, "set_arrays"), (analysis.hover, "refresh"),
                        (layers.truth, "arrays")):
        def timed(*a, _real=getattr(owner, name), _key=f"{type(owner).__name__}.{name}", **k):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            out = _real(*a, **k)
            parts.setdefault(_key, []).append((time.perf_counter() - start) * 1e3)
            return out
        setattr(owner, name, timed)

    def visit(i: int, how: str) -> None:
        way[0] = how
        video.timeline.frame_box.setValue(i)
        longest[how].append(wait(lambda: video.shown_index == i and layers.frame == i))

    for _ in range(args.repeats):
        for n in range(args.frames):
            i = 1 + (n * 3) % (video.frame_count - 2)
            layers.cache.clear()
            visit(i, "computed")
            visit(i + 1, "computed")
            visit(i, "cached")
        loads.append(os.getloadavg()[0])
    window.close()
    print(f"{clip.name} 1920x1080, fosp-s at 512 px, {args.frames} frames x {args.repeats}, "
          f"load average {min(loads):.1f}-{max(loads):.1f}")
    print("| layers | n | _show median / max ms | shown_layers median / max ms | longest GUI turn median / max ms |")
    print("|---|---|---|---|---|")
    for how in ("computed", "cached"):
        s, a, t = shows[how], arrays[how] or [float("nan")], longest[how]
        print(f"| {how} | {len(s)} | {statistics.median(s):.1f} / {max(s):.1f} | {statistics.median(a):.1f} / "
              f"{max(a):.1f} | {statistics.median(t):.1f} / {max(t):.1f} |")
    print("| part of _show (all frames) | n | median / max ms |")
    print("|---|---|---|")
    for key, values in parts.items():
        print(f"| {key} | {len(values)} | {statistics.median(values):.1f} / {max(values):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
