"""Benchmark: what one brush segment costs in the GUI on a 4000x3000 image (offscreen Qt).

For each segment (radius 12 px, 24 px apart, a stroke across the image) it times
  tool      BrushStroke.add_point (document edit + undo snapshot),
  layer     MaskLayer.update_rect of the dirty rectangle (display buffer + touched tiles),
  repaint   the event loop's repaint of the dirty region (processEvents; what the user waits for),
  total     all three,
at "fit" zoom and at 1:1, and compares with re-setting one full-image overlay per segment (what a
naive ImageItem.setImage(mask) would cost). It also times the commit on release (undo step +
autosave of the 4000x3000 mask PNG into a project). Prints a table (milliseconds).

    python bench/bench_annotation_gui.py [--segments 60]
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.annotation.mask_layer import MaskLayer, mask_lut  # noqa: E402
from app.canvas import Canvas  # noqa: E402
from fosp_core.annotation import tools  # noqa: E402
from fosp_core.annotation.document import AnnotationDocument  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402

H, W = 3000, 4000
RADIUS = 12
STEP = 24


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e3, ordered[int(0.95 * (len(ordered) - 1))] * 1e3


def _image() -> np.ndarray:
    """A smooth synthetic 4000x3000 RGB frame (content does not change the timings)."""
    small = np.random.default_rng(0).integers(0, 255, (30, 40, 3), np.uint8)
    return cv2.resize(small, (W, H), interpolation=cv2.INTER_CUBIC)


def _points(segments: int) -> list[tuple[float, float]]:
    return [(200.0 + i * STEP, 1500.0 + 300.0 * np.sin(i / 9.0)) for i in range(segments + 1)]


def _set_zoom(canvas: Canvas, zoom: str) -> None:
    if zoom == "1:1":  # a 1:1 window over the stroke's rows
        width, height = canvas.view_box.width(), canvas.view_box.height()
        canvas.view_box.setRange(xRange=(0, width), yRange=(1200, 1200 + height), padding=0)
    else:
        canvas.fit()
    for _ in range(3):
        QApplication.processEvents()
    canvas.viewport().repaint()


def bench_segments(canvas: Canvas, zoom: str, segments: int) -> dict[str, list[float]]:
    doc = AnnotationDocument((H, W))
    layer = MaskLayer(canvas)
    layer.set_mask(doc.mask)
    doc.events.connect(lambda e: layer.update_rect(e.rect) if e.kind == "mask" else None)
    _set_zoom(canvas, zoom)
    times: dict[str, list[float]] = {"tool": [], "layer": [], "repaint": [], "total": []}
    stroke = tools.BrushStroke(doc, RADIUS, 1)
    layer_time = [0.0]
    original = layer.update_rect

    def timed_update(rect):  # noqa: ANN001, ANN202
        t = time.perf_counter()
        out = original(rect)
        layer_time[0] += time.perf_counter() - t
        return out

    layer.update_rect = timed_update  # type: ignore[method-assign]
    for x, y in _points(segments):
        layer_time[0] = 0.0
        t0 = time.perf_counter()
        stroke.add_point(x, y)
        t1 = time.perf_counter()
        QApplication.processEvents()  # the event loop repaints the dirty region, as in the app
        t2 = time.perf_counter()
        times["tool"].append(t1 - t0 - layer_time[0])
        times["layer"].append(layer_time[0])
        times["repaint"].append(t2 - t1)
        times["total"].append(t2 - t0)
    stroke.finish()
    layer.set_mask(None)
    canvas.remove_overlay("annotation mask")
    return times


def bench_naive(canvas: Canvas, zoom: str, segments: int) -> list[float]:
    """Per segment: the document edit, then setImage of the whole mask on one overlay + repaint."""
    doc = AnnotationDocument((H, W))
    item = canvas.add_overlay("naive")
    lut = mask_lut()
    _set_zoom(canvas, zoom)
    stroke = tools.BrushStroke(doc, RADIUS, 1)
    out = []
    for x, y in _points(segments):
        t0 = time.perf_counter()
        stroke.add_point(x, y)
        item.setImage(doc.mask, autoLevels=False, levels=(0, 255), lut=lut)
        QApplication.processEvents()
        out.append(time.perf_counter() - t0)
    stroke.finish()
    canvas.remove_overlay("naive")
    return out


def bench_commit(repeats: int = 5) -> list[float]:
    """Release of a stroke: close the undo step and autosave the 4000x3000 mask into a project."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "images"
        folder.mkdir()
        cv2.imwrite(str(folder / "big.jpg"), np.zeros((H, W, 3), np.uint8))
        project = Project.open(folder)
        doc = project.open_document("big", image_shape=(H, W, 3))
        for i in range(repeats):
            stroke = tools.BrushStroke(doc, RADIUS, 1)
            for x, y in _points(40):
                stroke.add_point(x, y + 40 * i)
            t0 = time.perf_counter()
            stroke.finish()
            out.append(time.perf_counter() - t0)
        project.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=60)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive until exit
    pg.setConfigOptions(imageAxisOrder="row-major")
    canvas = Canvas()
    canvas.resize(1280, 800)
    canvas.show()
    canvas.set_image(_image())
    QApplication.processEvents()
    print(f"brush segment on a {W}x{H} image, radius {RADIUS} px, {STEP} px apart, "
          f"{args.segments} segments, canvas 1280x800 ({os.environ['QT_QPA_PLATFORM']})")
    print(f"{'case':<34}{'median ms':>10}{'p95 ms':>10}")
    for zoom in ("fit", "1:1"):
        times = bench_segments(canvas, zoom, args.segments)
        for part in ("tool", "layer", "repaint", "total"):
            med, p95 = _ms(times[part])
            print(f"{f'segment, zoom {zoom}: {part}':<34}{med:>10.2f}{p95:>10.2f}")
    for zoom in ("fit", "1:1"):
        med, p95 = _ms(bench_naive(canvas, zoom, args.segments))
        print(f"{f'naive full setImage, zoom {zoom}':<34}{med:>10.2f}{p95:>10.2f}")
    med, p95 = _ms(bench_commit())
    print(f"{'release: commit + autosave PNG':<34}{med:>10.2f}{p95:>10.2f}")
    canvas.close()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
