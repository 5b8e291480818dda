"""GUI responsiveness of the analysis view, measured offscreen on a real MainWindow.

    python bench/bench_gui.py [--checkpoint FILE] [--input-size 512] [--repeats 30]

Measures, on two 1920×1080 images made from a bundled demo photo:

1. the longest gap between 5 ms timer ticks of the GUI event loop while the model runs
   (target: never more than 50 ms);
2. toggling a layer and dragging a layer's opacity, each followed by a synchronous repaint of the
   canvas (target: under 16 ms);
3. switching to an image whose result is cached: from ``session.set_current`` until the image
   and all its visible layers are on screen (decode on the loader thread included; target < 100 ms).

Without --checkpoint a randomly initialised fosp-s is used (speed does not depend on the weights).
Prints a markdown table (copied into docs/benchmarks-gui.md).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from gui_window import analysis_window, parse_args, wait_until  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402

from app.main import create_app  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402


def make_images(folder: Path) -> list[Path]:
    demo = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[:2]
    out = []
    for i, src in enumerate(demo):
        path = folder / f"hd-{i}.jpg"
        Image.open(src).convert("RGB").resize((1920, 1080)).save(path, quality=92)
        out.append(path)
    return out


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} | {max(values):.1f}"


def main() -> int:
    args = parse_args(__doc__.splitlines()[0])
    _app = create_app()  # keep the QApplication alive
    with tempfile.TemporaryDirectory(prefix="fosp-bench-gui-") as tmp:
        tmp_path = Path(tmp)
        images = make_images(tmp_path)
        window = analysis_window(tmp_path, args.checkpoint, args.input_size, images)
        ctl = window.analysis

        # 1. event-loop stalls while the model runs (both images, one after the other)
        ticks: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        ticker = QTimer(interval=5, timeout=lambda: ticks.append(clock.nsecsElapsed() / 1e6))
        ticker.start()
        t0 = time.perf_counter()
        ctl.run_all()
        assert wait_until(lambda: not ctl._runs), ctl.errors
        run_s = time.perf_counter() - t0
        ticker.stop()
        gaps = np.diff(ticks)
        stall = float(gaps.max()) if gaps.size else float("nan")

        # 2. toggling a layer / dragging opacity, each with a synchronous repaint
        for name in ("probability", "prediction mask", "focus map"):
            ctl.layers.set_visible(name, True)
        viewport = window.canvas.viewport()
        viewport.repaint()
        toggles, drags = [], []
        for i in range(args.repeats):
            t = time.perf_counter()
            ctl.layers.toggle("prediction mask")
            viewport.repaint()
            toggles.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ctl.layers.set_opacity("probability", 0.2 + 0.6 * (i % 10) / 10)
            viewport.repaint()
            drags.append((time.perf_counter() - t) * 1000)

        # 3. switching between two images with cached results
        switches = []
        for _ in range(max(4, args.repeats // 3)):
            target = (window.session.current_index + 1) % 2
            t = time.perf_counter()
            window.session.set_current(target)
            assert wait_until(lambda: window.session.current_image is not None and ctl.prediction is not None
                              and ctl.prediction.shape == window.session.current_image.rgb.shape[:2])
            viewport.repaint()
            switches.append((time.perf_counter() - t) * 1000)
        calls = ctl.worker.calls
        window.close()

    print(f"device: CPU, {os.cpu_count()} cores, torch threads {__import__('torch').get_num_threads()}; "
          f"input {args.input_size}; image 1920×1080; {'random fosp-s' if args.checkpoint is None else args.checkpoint}")
    print(f"model ran {calls}× in {run_s:.2f} s while the GUI loop was timed\n")
    print("| measurement | median ms | max ms | target |")
    print("|---|---|---|---|")
    print(f"| longest GUI event-loop gap while the model runs | – | {stall:.1f} | < 50 ms |")
    print(f"| toggle a layer + repaint (1920×1080) | {stats(toggles)} | < 16 ms |")
    print(f"| drag opacity + repaint (1920×1080) | {stats(drags)} | < 16 ms |")
    print(f"| switch to a cached image (decode + layers + repaint) | {stats(switches)} | < 100 ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
