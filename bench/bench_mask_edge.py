"""Benchmark: what setting a huge photo's annotation mask whole (reopening its image, another image's
mask) costs the GUI thread, its display codes computed there (before) or on a worker (after:
`app.annotation.mask_layer.WORKER_PIXELS`).

The masks are real SMOKE5K labels upscaled (nearest) to the huge photos' sizes (`bench/huge_photos.py`:
8000x6000, 12000x8000), and the real 1024x768 label itself. Each round sets another shape's mask first
(new tiles, as reopening an image does), then the label; **GUI ms**: the longest the GUI thread was held
(the set_mask call, or the answer's drawing when it comes), **wall ms**: until the codes are shown
(offscreen, canvas 1280x800 at zoom to fit). "before" sets WORKER_PIXELS above every size. Before and
after interleaved; median and max over rounds. Prints a table.

    python bench/bench_mask_edge.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SIZES = ((1024, 768), (8000, 6000), (12000, 8000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    import numpy as np
    import pyqtgraph as pg
    from huge_photos import PHOTOS, photo
    from PySide6.QtWidgets import QApplication

    from app.annotation import mask_layer
    from app.annotation.mask_layer import MaskLayer
    from app.canvas import Canvas

    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive until exit
    pg.setConfigOptions(imageAxisOrder="row-major")
    after_pixels = mask_layer.WORKER_PIXELS
    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"annotation mask set whole (reopen), real SMOKE5K label {PHOTOS[0]} upscaled, load {load}, "
          f"{args.rounds} rounds; WORKER_PIXELS after: {after_pixels}")
    print(f"{'size':<12}{'variant':<8}{'GUI ms med':>11}{'GUI ms max':>11}{'wall ms med':>12}")
    for width, height in SIZES:
        _rgb, label = photo(PHOTOS[0], width, height)
        canvas = Canvas()
        canvas.resize(1280, 800)
        canvas.show()
        canvas.set_image(np.full((height, width, 3), 128, np.uint8))
        canvas.fit()
        layer = MaskLayer(canvas)
        layer.set_opacity(0.5)
        other = np.zeros((height, width - 8), np.uint8)
        take = layer._take
        held: list[float] = []

        def timed_take(token: int, found: object, take=take, held=held) -> None:  # noqa: ANN001
            t0 = time.perf_counter()
            take(token, found)
            held.append(time.perf_counter() - t0)

        layer._answers.ready.disconnect(take)
        layer._answers.ready.connect(timed_take)
        results: dict[str, tuple[list[float], list[float]]] = {"before": ([], []), "after": ([], [])}
        for _ in range(args.rounds):
            for variant in ("before", "after"):
                mask_layer.WORKER_PIXELS = after_pixels if variant == "after" else 1 << 40
                layer.set_mask(other)
                layer.wait()
                QApplication.processEvents()
                held.clear()
                t0 = time.perf_counter()
                layer.set_mask(label.copy())
                call = time.perf_counter() - t0
                layer.wait()
                wall = time.perf_counter() - t0
                results[variant][0].append(max([call, *held]) * 1e3)
                results[variant][1].append(wall * 1e3)
        for variant, (gui, wall) in results.items():
            print(f"{f'{width}x{height}':<12}{variant:<8}{statistics.median(gui):>11.1f}{max(gui):>11.1f}"
                  f"{statistics.median(wall):>12.1f}")
        sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
