"""Benchmark: what the annotation mask's whole-mask changes cost on the GUI thread, 4000x3000 (offscreen).

Since the mask is edged at full opacity (app/annotation/mask_edge.py) a whole-mask change also
computes the edge band; this times, with the repaint that follows (processEvents):
  open        set_mask of another image's mask (new tiles), empty or holding a plume,
  step        set_mask of a mask of the same shape (a video frame),
  opacity     set_opacity (the fill's table; the edge stays opaque),
  outline     set_outline on then off ("Outline only").
At zoom to fit, canvas 1280x800. Prints a table (milliseconds, median and 95th percentile).

    python bench/bench_annotation_mask_edge.py [--repeat 9] [--root TREE]

--root runs another checkout's app (an older tree, to compare before and after).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

H, W = 3000, 4000


def _plume(value_shift: int = 0) -> object:
    import cv2
    import numpy as np

    mask = np.zeros((H, W), np.uint8)
    cv2.ellipse(mask, (2000 + value_shift, 1400), (1300, 700), 15, 0, 360, 1, -1)
    cv2.ellipse(mask, (2000 + value_shift, 1400), (1300, 700), 15, 0, 360, 255, 6)  # the ignore band
    cv2.circle(mask, (700, 2500), 150, 1, -1)
    return mask


def _time(action: Callable[[], None], repeat: int) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        action()
        QApplication.processEvents()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return statistics.median(samples) * 1e3, samples[int(0.95 * (len(samples) - 1))] * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))
    import cv2
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from app.annotation.mask_layer import MaskLayer
    from app.canvas import Canvas

    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive until exit
    pg.setConfigOptions(imageAxisOrder="row-major")
    canvas = Canvas()
    canvas.resize(1280, 800)
    canvas.show()
    canvas.set_image(cv2.resize(np.random.default_rng(0).integers(0, 255, (30, 40, 3), np.uint8), (W, H)))
    layer = MaskLayer(canvas)
    layer.set_opacity(0.5)
    canvas.fit()
    QApplication.processEvents()
    empty, plume, moved = np.zeros((H, W), np.uint8), _plume(), _plume(40)
    other = np.zeros((H, W - 8), np.uint8)
    state = {"i": 0, "opacity": 0.5}

    def open_mask(mask: np.ndarray) -> Callable[[], None]:
        def action() -> None:
            layer.set_mask(other)  # another size first: the next set_mask makes new tiles
            layer.set_mask(mask)
        return action

    def step() -> None:
        state["i"] += 1
        layer.set_mask(plume if state["i"] % 2 else moved)

    def opacity() -> None:
        state["opacity"] = 0.8 if state["opacity"] == 0.5 else 0.5
        layer.set_opacity(state["opacity"])

    def outline() -> None:
        layer.set_outline(True)
        QApplication.processEvents()
        layer.set_outline(False)

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"annotation mask, whole-mask changes, {W}x{H}, zoom to fit, canvas 1280x800, root {args.root}, load {load}")
    print(f"{'case':<40}{'median ms':>10}{'p95 ms':>10}")
    cases: list[tuple[str, Callable[[], None]]] = [
        ("open: set_mask (empty mask)", open_mask(empty)),
        ("open: set_mask (plume)", open_mask(plume)),
    ]
    for name, action in cases:
        med, p95 = _time(action, args.repeat)
        print(f"{name:<40}{med:>10.2f}{p95:>10.2f}")
    layer.set_mask(plume)
    QApplication.processEvents()
    for name, action in (("step: set_mask, same shape (plume moved)", step), ("set_opacity 0.5 <-> 0.8", opacity),
                         ("set_outline on, then off", outline)):
        med, p95 = _time(action, args.repeat)
        print(f"{name:<40}{med:>10.2f}{p95:>10.2f}")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
