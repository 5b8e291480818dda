"""What a repaint of the image canvas costs, offscreen, with the layers of a typical review.

    python bench/bench_canvas_paint.py [--repeats 30] [--canvas 1352x994] [--sizes 1920x1080,4000x3000]
                                       [--direct | --ab]

The canvas (``app.canvas.Canvas``, 1352x994: the canvas of a maximised 1920x1080 window) shows a
bundled demo photo resized to each size, with the layers the analysis and annotation views put on it:
the probability overlay, the prediction mask and the error map (``LayerOverlays`` over a prediction
made from the photo's label, so the error map has something to show) and the annotation mask
(``MaskLayer`` over an ``AnnotationDocument`` holding the label). At zoom to fit, 100 % and 400 %
(centred on the image) it times, in milliseconds, with 0.4 s of event loop before each kind of
action, as a user pauses between them (the compositor makes its buffers then):

* idle repaint: ``viewport().repaint()`` with nothing changed;
* threshold move: ``LayerOverlays.refresh_thresholded`` with the next threshold's prediction mask and
  error map (arrays computed beforehand, see ``bench/bench_threshold.py`` for them) + a repaint;
* brush segment: ``BrushStroke.add_point`` (radius 12 px, 6 px apart, a stroke through the centre of
  the view) and the event loop's repaint of what it dirtied (``processEvents``, as in the app);
* opacity drag: the probability layer's opacity + a repaint;
* zoom step: 1.25x in or out and the event loop's repaint (everything drawn anew; for reference).

Uses only APIs older versions have, so it can be run against a checkout of one (copy it into its
``bench/``). ``--direct`` makes the canvas draw every layer on each paint (``set_composited(False)``,
the way before the compositor) in versions that have the switch; ``--ab`` alternates the two in
blocks of 5 repeats in one process, so that a shared machine's load falls on both alike. Prints a
markdown table.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.analysis.overlays import LayerOverlays  # noqa: E402
from app.annotation.mask_layer import MaskLayer  # noqa: E402
from app.canvas import Canvas  # noqa: E402
from fosp_core.analysis.layers import LayerStack, layer_arrays, thresholded_arrays  # noqa: E402
from fosp_core.annotation import tools  # noqa: E402
from fosp_core.annotation.document import AnnotationDocument  # noqa: E402
from fosp_core.infer.result import Prediction  # noqa: E402
from fosp_core.io.masks import read_mask  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402

RADIUS = 12
STEP = 6
THRESHOLDS = np.linspace(0.3, 0.7, 9)
PAUSE_MS = 400  # event loop between two kinds of action, as a user pauses (the compositor's SETTLE_MS)


def demo_scene(width: int, height: int) -> tuple[np.ndarray, np.ndarray, Prediction]:
    """The first demo photo and its label at (width, height), and a prediction made from the label
    (its smoke blurred, plus smooth noise: a mask and an error map with real edges)."""
    src = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[0]
    rgb = np.asarray(Image.open(src).convert("RGB").resize((width, height)))
    label = read_mask(DEMO_DIR / "SegmentationClass" / f"{src.stem}.png")
    label = np.asarray(Image.fromarray(label).resize((width, height), Image.Resampling.NEAREST))
    smoke = (label == 1).astype(np.float32)
    blurred = cv2.GaussianBlur(smoke, (0, 0), sigmaX=width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    return rgb, label, Prediction(probability=probability)


def timed(step: Callable[[], object], repeats: int) -> list[float]:
    step()  # warm up
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        step()
        out.append((time.perf_counter() - t) * 1000)
    return out


def settle(app: QApplication, ms: float = 0.0) -> None:
    """Run the event loop a few turns, and for `ms` milliseconds."""
    for _ in range(3):
        app.processEvents()
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def set_view(canvas: Canvas, app: QApplication, zoom: str, shape: tuple[int, int]) -> None:
    canvas.fit()
    settle(app)
    if zoom != "fit":
        canvas.view_box.enableAutoRange(enable=False)
        canvas.set_zoom(float(zoom.rstrip(" %")))
        rect = canvas.view_box.viewRect()
        cx, cy = shape[1] / 2, shape[0] / 2
        canvas.view_box.setRange(xRange=(cx - rect.width() / 2, cx + rect.width() / 2),
                                 yRange=(cy - rect.height() / 2, cy + rect.height() / 2), padding=0.0)
    settle(app)
    canvas.viewport().repaint()
    settle(app, PAUSE_MS)


def bench_view(app: QApplication, canvas: Canvas, overlays: LayerOverlays, layers: LayerStack,
               doc: AnnotationDocument, moves: list[dict[str, np.ndarray]], repeats: int) -> dict[str, list[float]]:
    """The five measurements (see module doc) at the canvas's current view."""
    viewport = canvas.viewport()
    out = {"idle repaint": timed(viewport.repaint, repeats)}
    arrays = itertools.cycle(moves)

    def threshold_move() -> None:
        overlays.refresh_thresholded(next(arrays))
        viewport.repaint()

    out["threshold move + repaint"] = timed(threshold_move, repeats)
    settle(app, PAUSE_MS)
    rect = canvas.view_box.viewRect()
    span = min(rect.width(), rect.height()) * 0.6
    x0, y0 = rect.center().x() - span / 2, rect.center().y() - span / 3
    points = iter([(x0 + (i * STEP) % span, y0 + 0.3 * span * np.sin(i / 7.0)) for i in range(repeats + 1)])
    stroke = tools.BrushStroke(doc, RADIUS, 1)

    def brush_segment() -> None:
        stroke.add_point(*next(points))
        app.processEvents()  # the event loop repaints the dirty region

    out["brush segment (edit + repaint)"] = timed(brush_segment, repeats)
    stroke.finish()
    settle(app, PAUSE_MS)
    opacities = itertools.cycle(np.linspace(0.2, 0.8, 7))

    def opacity_drag() -> None:
        layers.set_opacity("probability", float(next(opacities)))
        overlays.on_layer_changed("probability", "opacity")
        viewport.repaint()

    out["opacity drag + repaint"] = timed(opacity_drag, repeats)
    settle(app, PAUSE_MS)
    factors = itertools.cycle((1.25, 0.8))

    def zoom_step() -> None:
        canvas.zoom_by(next(factors))
        app.processEvents()  # the event loop applies the range and repaints, as for a wheel step

    out["zoom step + repaint"] = timed(zoom_step, repeats)
    return out


def bench_size(app: QApplication, canvas: Canvas, size: tuple[int, int], repeats: int,
               modes: tuple[bool, ...]) -> dict[str, dict[str, list[float]]]:
    """Results by "zoom" or, with two `modes` (compositor on, off), "zoom|mode", interleaved in
    blocks of 5 repeats."""
    width, height = size
    rgb, label, prediction = demo_scene(width, height)
    canvas.set_image(rgb)
    layers = LayerStack()
    for name in ("prediction mask", "error map"):
        layers.set_visible(name, True)
    overlays = LayerOverlays(canvas, layers)
    overlays.show(layer_arrays(prediction, 0.5, label))
    moves = [thresholded_arrays(prediction, float(t), label) for t in THRESHOLDS]
    doc = AnnotationDocument((height, width))
    doc.replace_mask(label.copy())
    mask_layer = MaskLayer(canvas)
    mask_layer.set_opacity(0.5)
    mask_layer.set_mask(doc.mask)
    doc.events.connect(lambda e: mask_layer.update_rect(e.rect) if e.kind == "mask" else None)
    results: dict[str, dict[str, list[float]]] = {}
    block = repeats if len(modes) == 1 else 5
    for zoom in ("fit", "100 %", "400 %"):
        for _ in range(max(1, repeats // block)):
            for composited in modes:
                if len(modes) > 1:
                    canvas.set_composited(composited)
                set_view(canvas, app, zoom, (height, width))
                key = zoom if len(modes) == 1 else f"{zoom}|{'compositor' if composited else 'direct'}"
                for name, values in bench_view(app, canvas, overlays, layers, doc, moves, block).items():
                    results.setdefault(key, {}).setdefault(name, []).extend(values)
                doc.undo()
    mask_layer.set_mask(None)
    canvas.remove_overlay("annotation mask")
    overlays.show({})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--canvas", default="1352x994", help="viewport size, WxH")
    parser.add_argument("--sizes", default="1920x1080,4000x3000", help="image sizes, WxH,...")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--direct", action="store_true", help="draw every layer on each paint (no compositor)")
    group.add_argument("--ab", action="store_true",
                       help="compositor and direct drawing interleaved in this process (cells: compositor / direct)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    cw, ch = (int(v) for v in args.canvas.split("x"))
    canvas.resize(cw, ch)
    canvas.show()
    switchable = hasattr(canvas, "set_composited")
    if args.ab and not switchable:
        parser.error("--ab needs a version with the compositor")
    modes: tuple[bool, ...] = (True, False) if args.ab else (not args.direct,)
    if args.ab:
        mode = "compositor / direct, interleaved in blocks of 5"
    elif switchable:
        canvas.set_composited(not args.direct)
        mode = "direct (set_composited(False))" if args.direct else "compositor"
    else:
        mode = "this version (no compositor)"
    settle(app)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    table = {size: bench_size(app, canvas, size, args.repeats, modes) for size in sizes}  # type: ignore[arg-type]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"canvas {canvas.viewport().width()}x{canvas.viewport().height()} ({os.environ['QT_QPA_PLATFORM']}), "
          f"{mode}; CPU {os.cpu_count()} cores, load average {load:.1f}; {args.repeats} repeats; "
          + ("median ms\n" if args.ab else "median ms (p90)\n"))
    rows = list(next(iter(next(iter(table.values())).values())))
    print("| image | zoom | " + " | ".join(rows) + " |")
    print("|---|---|" + "---|" * len(rows))
    for (width, height), results in table.items():
        for zoom in ("fit", "100 %", "400 %"):
            cells = []
            for name in rows:
                if args.ab:
                    on, off = (statistics.median(results[f"{zoom}|{m}"][name]) for m in ("compositor", "direct"))
                    cells.append(f"{on:.1f} / {off:.1f}")
                else:
                    ordered = sorted(results[zoom][name])
                    cells.append(f"{statistics.median(ordered):.1f} ({ordered[int(0.9 * (len(ordered) - 1))]:.1f})")
            print(f"| {width}×{height} | {zoom} | " + " | ".join(cells) + " |")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt


if __name__ == "__main__":
    raise SystemExit(main())
