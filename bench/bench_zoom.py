"""What a zoom step (or a pan step) of the image canvas costs, offscreen, with the analysis layers shown.

    python bench/bench_zoom.py [--repeats 3] [--canvas 1352x994] [--sizes 1920x1080,4000x3000]
                               [--layers review,all] [--ab] [--profile FILE] [--pan [--pan-zooms 100,251.7]]

The canvas (``app.canvas.Canvas``, 1352x994: the canvas of a maximised 1920x1080 window) shows a
bundled demo photo resized to each size with analysis layers (``LayerOverlays`` over a prediction made
from the photo's label, every map a full model run gives: probability, Focus Map, hole and its τ
contour, separated background, foreground energy at four strides, and with the label the ground
truth, prediction mask and error map) and the annotation mask (``MaskLayer``). Layer sets:

* review: probability, prediction mask, error map, annotation mask (what a review shows);
* all: every analysis layer visible, and the annotation mask.

From zoom to fit the canvas zooms in 6 steps and back out to fit in bursts of 3 steps (of 1.25x,
``Canvas.zoom_by``, the keyboard's zoom: to 3.8x fit; ``--wheel`` sends wheel events of one notch,
1.35x, to the viewport instead), each step timed with the event loop's repaint
(``processEvents``), as a user's wheel or key press is. After each burst the canvas is left still for 0.6 s, as a user looks: "settle
longest" is the longest event-loop turn then (the compositor's work once the view has stopped: the
exact drawing of the layers, their buffers), "settle total" all of that work, "repaint after" a
repaint at the end of it.

``--ab`` alternates the canvas's fast zoom (``Canvas.set_fast_zoom``) on and off sweep by sweep in one
process, so that a shared machine's load falls on both alike (versions without the switch: one mode).
Fast zoom sweeps start once the layers' display pyramids are rendered (a user looks at a result
before zooming; ``--cold``: 0.6 s after the layers were shown, the pyramids being rendered meanwhile).
``--profile FILE`` writes a cProfile of the zoom steps of the first size and layer set. Prints a
markdown table: median and p90 ms per zoom step, and the medians of the settles and repaints.

``--pan``: pan steps instead. At each zoom of ``--pan-zooms`` (percent, centred on the image) a left
drag (the ViewBox's pan; Space+drag and middle-drag in the app) of 24 mouse moves goes round a
rectangle (8 moves of (-22, -14) px, 4 of (+22, 0), 8 of (+22, +14), 4 of (-22, 0), back where it
started; even, so whole device pixels under ``QT_SCALE_FACTOR=1.5`` too; at least 1/100 s apart:
pyqtgraph drops mouse moves that come faster, ``mouseRateLimit``), each move timed with the event
loop's repaint; after the drag the canvas is left still for 0.6 s ("settle": the layers' buffers
drawn once it is still). ``--ab`` alternates the canvas's fast
pan (``Canvas.set_fast_pan``, :mod:`app.layer_pan`) on and off drag by drag.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from bench_canvas_paint import demo_scene, settle  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.analysis.overlays import LayerOverlays  # noqa: E402
from app.annotation.mask_layer import MaskLayer  # noqa: E402
from app.canvas import ZOOM_STEP, Canvas  # noqa: E402
from fosp_core.analysis.layers import LayerStack, layer_arrays  # noqa: E402
from fosp_core.infer.result import Prediction  # noqa: E402

REVIEW = ("probability", "prediction mask", "error map")
STEPS_IN = 6  # 1.25**6 = 3.8x: fit (~30 % for 12 MP) to over 100 %
BURST = 3  # steps between two pauses
SETTLE_WATCH_MS = 600


def full_prediction(rgb: np.ndarray, base: Prediction) -> Prediction:
    """`base`'s probability with every optional map a full run has, made from it and the photo."""
    height, width = base.shape
    small = cv2.resize(base.probability, (max(1, width // 16), max(1, height // 16)), interpolation=cv2.INTER_AREA)
    focus = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    energy = {s: cv2.resize(cv2.resize(base.probability, (max(1, width // s), max(1, height // s))) * (4.0 / s),
                            (width, height)).astype(np.float32) for s in (32, 16, 8, 4)}
    return Prediction(probability=base.probability, focus_map=focus.astype(np.float32), hole=focus > 0.15,
                      background=cv2.GaussianBlur(rgb, (0, 0), 3), foreground_energy=energy, tau=0.15)


def wheel(canvas: Canvas, zoom_in: bool) -> None:
    viewport = canvas.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QWheelEvent(centre, canvas.mapToGlobal(centre.toPoint()).toPointF(), QPoint(0, 0),
                        QPoint(0, 120 if zoom_in else -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


def watch(app: QApplication, ms: float) -> tuple[float, float]:
    """Run the event loop for `ms`: its longest turn and the sum of its turns, in ms."""
    longest, total, end = 0.0, 0.0, time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        start = time.perf_counter()
        app.processEvents()
        took = (time.perf_counter() - start) * 1000
        longest, total = max(longest, took), total + took
        time.sleep(0.002)
    return longest, total


def sweep(app: QApplication, canvas: Canvas, use_wheel: bool, profile: cProfile.Profile | None) -> dict[str, list[float]]:
    """Fit, STEPS_IN steps in, as many out, in bursts; the steps' times, each burst's settle and the
    repaint after it."""
    canvas.fit()
    settle(app)
    canvas.viewport().repaint()
    settle(app, SETTLE_WATCH_MS)
    out: dict[str, list[float]] = {"steps": [], "settle longest": [], "settle total": [], "after": []}
    for i, zoom_in in enumerate([True] * STEPS_IN + [False] * STEPS_IN):
        start = time.perf_counter()
        if profile is not None:
            profile.enable()
        if use_wheel:
            wheel(canvas, zoom_in)
        else:
            canvas.zoom_by(ZOOM_STEP if zoom_in else 1.0 / ZOOM_STEP)
        app.processEvents()  # the event loop applies the range and repaints, as for a key press
        if profile is not None:
            profile.disable()
        out["steps"].append((time.perf_counter() - start) * 1000)
        if (i + 1) % BURST:
            continue
        longest, total = watch(app, SETTLE_WATCH_MS)
        out["settle longest"].append(longest)
        out["settle total"].append(total)
        start = time.perf_counter()
        canvas.viewport().repaint()
        out["after"].append((time.perf_counter() - start) * 1000)
    return out


# a closed round; even moves: whole device pixels at 150 % and 200 % screen scaling too
PAN_MOVES = [(-22, -14)] * 8 + [(22, 0)] * 4 + [(22, 14)] * 8 + [(-22, 0)] * 4


def pan_sweep(app: QApplication, canvas: Canvas, zoom: float,
              profile: cProfile.Profile | None = None) -> dict[str, list[float]]:
    """At `zoom` (percent, centred), a left drag round PAN_MOVES; each move's time, and the settle."""
    canvas.fit()
    settle(app)
    canvas.set_zoom(zoom)
    settle(app)
    canvas.viewport().repaint()
    settle(app, SETTLE_WATCH_MS)
    viewport = canvas.viewport()
    pos = QPoint(viewport.width() // 2, viewport.height() // 2)
    apart = QApplication.doubleClickInterval() + 50  # QTest's event times: no press reads as a double click
    QTest.mouseMove(viewport, pos)  # a fresh window's first drag may not pan: an untimed one first
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, apart)
    QTest.mouseMove(viewport, pos + QPoint(1, 1))
    QTest.mouseMove(viewport, pos)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    settle(app, SETTLE_WATCH_MS)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, apart)
    app.processEvents()
    out: dict[str, list[float]] = {"steps": [], "settle longest": [], "settle total": []}
    moved: list[int] = []

    def count(*_args: object) -> None:
        moved.append(1)

    canvas.view_box.sigRangeChanged.connect(count)
    apart_s = 1.0 / pg.getConfigOption("mouseRateLimit")  # pyqtgraph drops moves closer than this
    start = time.perf_counter()
    for dx, dy in PAN_MOVES:
        pos = pos + QPoint(dx, dy)
        time.sleep(max(0.0, start + apart_s * 1.05 - time.perf_counter()))  # a mouse at <= 100 Hz
        start = time.perf_counter()
        if profile is not None:
            profile.enable()
        QTest.mouseMove(viewport, pos)
        app.processEvents()  # the ViewBox pans and the event loop repaints, as for a user's drag
        if profile is not None:
            profile.disable()
        out["steps"].append((time.perf_counter() - start) * 1000)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    canvas.view_box.sigRangeChanged.disconnect(count)
    if len(moved) < len(PAN_MOVES):
        raise RuntimeError(f"the drag panned {len(moved)} times for {len(PAN_MOVES)} moves")
    longest, total = watch(app, SETTLE_WATCH_MS)
    out["settle longest"].append(longest)
    out["settle total"].append(total)
    return out


def wait_for_pyramids(canvas: Canvas, timeout_s: float = 60.0) -> None:
    """Until every layer's display pyramid levels being rendered are done."""
    for item in canvas.scene().items():
        for future in list(getattr(getattr(item, "pyramid", None), "_levels", {}).values()):
            if not future.cancelled():
                future.result(timeout=timeout_s)


def show_layers(canvas: Canvas, size: tuple[int, int], which: str) -> tuple[LayerOverlays, MaskLayer]:
    width, height = size
    rgb, label, base = demo_scene(width, height)
    canvas.set_image(rgb)
    layers = LayerStack()
    prediction = full_prediction(rgb, base)
    for layer in layers:
        layers.set_visible(layer.name, which == "all" or layer.name in REVIEW)
    overlays = LayerOverlays(canvas, layers)
    overlays.show(layer_arrays(prediction, 0.5, label))
    mask_layer = MaskLayer(canvas)
    mask_layer.set_opacity(0.5)
    mask_layer.set_mask(label.copy())
    return overlays, mask_layer


def stat(values: list[float], which: str) -> float:
    ordered = sorted(values)
    return statistics.median(ordered) if which == "median" else ordered[int(0.9 * (len(ordered) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="sweeps per size, layer set and mode")
    parser.add_argument("--canvas", default="1352x994", help="viewport size, WxH")
    parser.add_argument("--sizes", default="1920x1080,4000x3000", help="image sizes, WxH,...")
    parser.add_argument("--layers", default="review,all", help="layer sets: review, all")
    parser.add_argument("--wheel", action="store_true", help="zoom with wheel events, not zoom_by")
    parser.add_argument("--ab", action="store_true", help="fast zoom (pan) on / off interleaved (cells: on / off)")
    parser.add_argument("--profile", type=Path, help="cProfile of the first case's zoom (pan) steps")
    parser.add_argument("--cold", action="store_true", help="do not wait for the display pyramids")
    parser.add_argument("--pan", action="store_true", help="time pan steps (a drag) instead of zoom steps")
    parser.add_argument("--pan-zooms", default="100,251.7", help="zooms (percent) to pan at, with --pan")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    cw, ch = (int(v) for v in args.canvas.split("x"))
    canvas.resize(cw, ch)
    canvas.show()
    switch = "set_fast_pan" if args.pan else "set_fast_zoom"
    switchable = hasattr(canvas, switch)
    modes: tuple[bool, ...] = (True, False) if args.ab and switchable else (True,)
    cases: list[float | None] = [float(z) for z in args.pan_zooms.split(",")] if args.pan else [None]
    settle(app)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    profile = cProfile.Profile() if args.profile else None
    table: dict[tuple[object, ...], dict[str, list[float]]] = {}
    for size in sizes:
        for which in args.layers.split(","):
            overlays, mask_layer = show_layers(canvas, size, which)  # type: ignore[arg-type]
            if args.pan and not args.cold:
                wait_for_pyramids(canvas)
            for _ in range(args.repeats):
                for case in cases:
                    for mode in modes:
                        if switchable:
                            getattr(canvas, switch)(mode)
                            if mode and not args.cold:
                                wait_for_pyramids(canvas)
                        result = (pan_sweep(app, canvas, case, profile) if case is not None
                                  else sweep(app, canvas, args.wheel, profile))
                        cell = table.setdefault((size, which, case, mode), {})
                        for key, values in result.items():
                            cell.setdefault(key, []).extend(values)
            if profile is not None:
                profile.dump_stats(args.profile)
                profile = None
            mask_layer.set_mask(None)
            canvas.remove_overlay("annotation mask")
            overlays.show({})
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    what = "pan" if args.pan else "zoom"
    mode_text = (f"fast {what} on / off, interleaved" if len(modes) == 2
                 else f"fast {what} on" if switchable else f"this version (no fast {what} switch)")
    machine = f"CPU {os.cpu_count()} cores, load average {load:.1f}"
    canvas_text = f"canvas {canvas.viewport().width()}x{canvas.viewport().height()} ({os.environ['QT_QPA_PLATFORM']})"
    if args.pan:
        print(f"{canvas_text}, left drags of {len(PAN_MOVES)} mouse moves, {mode_text}; {machine}; "
              f"{args.repeats} drags per zoom\n")
        columns = (("steps", "median"), ("steps", "p90"), ("settle longest", "median"), ("settle total", "median"))
        print("| image | layers | zoom | pan step median ms | pan step p90 ms | settle longest ms | settle total ms |")
        print("|---|---|---|---|---|---|---|")
    else:
        how = "wheel events" if args.wheel else "Canvas.zoom_by"
        # pyqtgraph's ViewBox zooms 1.02 ** (angle delta * wheelScaleFactor) a wheel event
        step = 1.02 ** (120 * abs(canvas.view_box.state["wheelScaleFactor"])) if args.wheel else ZOOM_STEP
        print(f"{canvas_text}, {how}, {mode_text}{', pyramids cold' if args.cold else ''}; {machine}; "
              f"{args.repeats} sweeps of {2 * STEPS_IN} steps of {step:.3g}x "
              f"(fit -> {100 * step ** STEPS_IN:.0f} % of fit -> fit)\n")
        columns = (("steps", "median"), ("steps", "p90"), ("settle longest", "median"),
                   ("settle total", "median"), ("after", "median"))
        print("| image | layers | zoom step median ms | zoom step p90 ms | settle longest ms | settle total ms "
              "| repaint after ms |")
        print("|---|---|---|---|---|---|---|")
    for size in sizes:
        for which in args.layers.split(","):
            for case in cases:
                cells = [" / ".join(f"{stat(table[(size, which, case, mode)][key], how_):.1f}" for mode in modes)
                         for key, how_ in columns]
                zoom_cell = f" {case:g} % |" if case is not None else ""
                print(f"| {size[0]}×{size[1]} | {which} |{zoom_cell} " + " | ".join(cells) + " |")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt


if __name__ == "__main__":
    raise SystemExit(main())
