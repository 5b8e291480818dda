"""Benchmark: the GUI thread's longest event-loop turn on the two display-pyramid stalls QA found on
4000x3000 photos (``app/display_pyramid.py``, ``app/layer_item.py``), deferred levels on / off.

    python bench/bench_display_stalls.py [--repeats 4] [--size 4000x3000] [--canvas 1352x994]

The canvas (``app.canvas.Canvas``, offscreen) shows one of two real SMOKE5K photos
(``../shared/data/smoke5k-train``, upscaled to the size) with the analysis layers of a full model
run made from its label (``bench_zoom.full_prediction``: probability, Focus Map, hole, τ contour,
separated background, foreground energy; the default layers shown) and the annotation mask.

* switch: Right then Left, each the photo and every layer's array replaced, as the app does ("the
  change itself": that call, outlines and mask tiles included, not the pyramid's); then the longest
  event-loop turn over the next 0.6 s, the first paint included;
* toggles + zoom: from a settled canvas, Alt+M, Alt+B, Alt+K, Alt+R (Focus Map, separated
  background, prediction mask, error map shown), 0.35 s (the layers' display pyramids being
  prefetched), then ``+`` (one zoom step); the longest turn over the next 0.6 s, the step's
  included ("the change itself": the longest of the four layer toggles' calls).

Each case alternates ``LayerItem.defer_large`` on and off, repeat by repeat (cells: **on** / off),
and counts ``render_level`` calls on the GUI thread for an image over ``GUI_RENDER_PIXELS``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from bench_canvas_paint import settle  # noqa: E402
from bench_zoom import full_prediction, wait_for_pyramids, watch  # noqa: E402
from huge_photos import photo  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import display_pyramid  # noqa: E402
from app.analysis.overlays import LayerOverlays  # noqa: E402
from app.annotation.mask_layer import MaskLayer  # noqa: E402
from app.canvas import ZOOM_STEP, Canvas  # noqa: E402
from app.layer_item import LayerItem  # noqa: E402
from fosp_core.analysis.layers import LayerStack, layer_arrays  # noqa: E402
from fosp_core.infer.result import Prediction  # noqa: E402

PHOTOS = ("ckakldp3vdjmg0b12dcxe2tgz", "ckaklrf54bmfo0738br0akloq")  # real camera photos, ~12 % smoke
TOGGLED = ("focus map", "separated background", "prediction mask", "error map")  # Alt+M, B, K, R
WATCH_MS = 600


def photo_scene(name: str, width: int, height: int) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(RGB, label, layer arrays) of a SMOKE5K photo at (width, height)."""
    rgb, label = photo(name, width, height)
    blurred = cv2.GaussianBlur(label.astype(np.float32), (0, 0), width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    prediction = full_prediction(rgb, Prediction(probability=probability))
    return rgb, label, layer_arrays(prediction, 0.5, label)


class GuiRenders:
    """Counts render_level calls on the GUI thread for images over GUI_RENDER_PIXELS."""

    def __init__(self) -> None:
        self.count = 0
        original = display_pyramid.render_level

        def spy(image, levels, lut, factors):  # noqa: ANN001, ANN202
            if (threading.current_thread() is threading.main_thread()
                    and image.shape[0] * image.shape[1] > display_pyramid.GUI_RENDER_PIXELS):
                self.count += 1
            return original(image, levels, lut, factors)

        display_pyramid.render_level = spy  # type: ignore[assignment]


def set_defer(canvas: Canvas, on: bool) -> None:
    for item in canvas.scene().items():
        if isinstance(item, LayerItem):
            item.defer_large = on


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--canvas", default="1352x994")
    parser.add_argument("--stalls", type=float, default=0.0,
                        help="log the GUI thread's turns over this many ms (app.stall_report), to stderr")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.resize(*(int(v) for v in args.canvas.split("x")))
    canvas.show()
    settle(app)
    if args.stalls:
        import logging

        from app.stall_report import StallReporter
        logging.basicConfig(level=logging.WARNING)
        reporter = StallReporter(args.stalls)
        reporter.start()
    scenes = [photo_scene(name, width, height) for name in PHOTOS]
    layers = LayerStack()
    overlays = LayerOverlays(canvas, layers)
    layers.events.changed.connect(overlays.on_layer_changed)
    mask_layer = MaskLayer(canvas)
    mask_layer.set_opacity(0.5)
    renders = GuiRenders()
    defaults = {layer.name: layer.visible for layer in layers}

    def show(index: int, on: bool) -> None:
        rgb, label, arrays = scenes[index]
        canvas.set_image(rgb)
        overlays.show(arrays)
        mask_layer.set_mask(label.copy())
        set_defer(canvas, on)

    table: dict[tuple[str, bool], dict[str, list[float]]] = {}
    load = [os.getloadavg()[0]]
    for repeat in range(args.repeats):
        for on in ((True, False) if repeat % 2 == 0 else (False, True)):
            for name, visible in defaults.items():
                layers.set_visible(name, visible)
            show(0, on)
            canvas.fit()
            settle(app, WATCH_MS)
            wait_for_pyramids(canvas)
            cell = table.setdefault(("switch", on), {"own": [], "longest": [], "gui renders": []})
            for index in (1, 0):  # Right, then Left
                before = renders.count
                start = time.perf_counter()
                show(index, on)
                cell["own"].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                app.processEvents()  # the first paint of the new image
                first = (time.perf_counter() - start) * 1000
                longest, _ = watch(app, WATCH_MS)
                cell["longest"].append(max(first, longest))
                cell["gui renders"].append(renders.count - before)
                wait_for_pyramids(canvas)
            settle(app, WATCH_MS)
            cell = table.setdefault(("toggles + zoom", on), {"own": [], "longest": [], "gui renders": []})
            before = renders.count
            longest_toggles = 0.0
            for name in TOGGLED:  # a key press each
                start = time.perf_counter()
                layers.set_visible(name, True)
                longest_toggles = max(longest_toggles, (time.perf_counter() - start) * 1000)
                app.processEvents()
            cell["own"].append(longest_toggles)
            watch(app, 350)  # the prefetch timers fire: the pyramids are being rendered
            start = time.perf_counter()
            canvas.zoom_by(ZOOM_STEP)
            app.processEvents()
            first = (time.perf_counter() - start) * 1000
            longest, _ = watch(app, WATCH_MS)
            cell["longest"].append(max(first, longest))
            cell["gui renders"].append(renders.count - before)
            wait_for_pyramids(canvas)
            load.append(os.getloadavg()[0])
    print(f"canvas {canvas.viewport().width()}x{canvas.viewport().height()} ({os.environ['QT_QPA_PLATFORM']}), "
          f"{width}x{height} SMOKE5K photos, deferred levels on / off interleaved, {args.repeats} repeats; "
          f"CPU {os.cpu_count()} cores, load average {statistics.mean(load):.1f}\n")
    print("| case | the change itself ms | longest GUI turn after, median ms | longest GUI turn after, max ms "
          "| GUI-thread level renders |")
    print("|---|---|---|---|---|")
    for case in ("switch", "toggles + zoom"):
        cells = [" / ".join(f"{statistics.median(table[(case, on)]['own']):.1f}" for on in (True, False))]
        cells += [" / ".join(f"{fn(table[(case, on)]['longest']):.1f}" for on in (True, False))
                  for fn in (statistics.median, max)]
        cells.append(" / ".join(f"{statistics.mean(table[(case, on)]['gui renders']):.1f}" for on in (True, False)))
        print(f"| {case} | " + " | ".join(cells) + " |")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt


if __name__ == "__main__":
    raise SystemExit(main())
