"""Benchmark: an annotator's session on huge photos in the real main window (offscreen): memory peak
and the GUI thread's longest turn per step, and whether the mask stays aligned with the image.

    python bench/bench_huge_images.py [--only photo-8000x6000.jpg ...] [--input-size 256]

The photos (``bench/huge_photos.py``: real SMOKE5K photos upscaled to 8000x6000 and 12000x8000, a
20000x3000 panorama, a 16-bit TIFF, an RGBA PNG, a progressive JPEG) are written once under
``/tmp/fosp-huge``. Each is opened alone in a fresh 1600x1000 window with random fosp-s weights
(``model_window``), then: open, fit + 3 zoom steps + a pan, run the model, show each analysis
layer, a brush stroke, a polygon, Accept Prediction, undo + redo, the background save, reopen (the
next window), export to SmokeSeg (on its worker), Export View (the dialog's, on its worker).
Each photo runs in a process of its own, ended if its RSS passes ``FOSP_BENCH_RSS_MB`` (12000).

Per step: **peak RSS** (``VmHWM`` after resetting it through ``/proc/self/clear_refs``) in MB, above
the RSS before the step; **GUI ms**: the longest the GUI thread did not return to the event loop (a
call the step makes directly on the GUI thread counts whole); **wall ms**: the step until its result
is there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from gui_window import wait_until  # noqa: E402
from huge_photos import KINDS, write  # noqa: E402
from memory_census import rss_guard  # noqa: E402
from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from app.annotation.export_dialog import ExportOptions, ExportWorker  # noqa: E402
from app.canvas import ZOOM_STEP  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from fosp_core.io.masks import read_mask  # noqa: E402

PHOTOS_DIR = Path("/tmp/fosp-huge")
LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def pump(app: QApplication, until: Callable[[], bool], timeout_s: float = 300.0) -> float:
    """Run the event loop until `until()` (then 0.3 s more); the longest turn in ms."""
    longest, end, extra = 0.0, time.perf_counter() + timeout_s, None
    while time.perf_counter() < end:
        start = time.perf_counter()
        app.processEvents()
        longest = max(longest, (time.perf_counter() - start) * 1000)
        if extra is None and until():
            extra = time.perf_counter() + 0.3
        if extra is not None and time.perf_counter() > extra:
            return longest
        time.sleep(0.002)
    raise TimeoutError("step did not finish")


class Steps:
    """Runs and measures the steps of one window."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.rows: dict[str, tuple[float, float, float]] = {}

    def step(self, name: str, action: Callable[[], object], until: Callable[[], bool] = lambda: True) -> None:
        base = rss_mb()
        reset_peak()
        start = time.perf_counter()
        action()
        own = (time.perf_counter() - start) * 1000
        longest = pump(self.app, until)
        wall = (time.perf_counter() - start) * 1000
        self.rows[name] = (rss_mb("VmHWM") - base, max(own, longest), wall)
        print(f"  step {name}: {' / '.join(f'{v:.0f}' for v in self.rows[name])} (RSS {rss_mb():.0f} MB)",
              file=sys.stderr, flush=True)


def viewport_pos(window: MainWindow, x: float, y: float):  # noqa: ANN201
    scene = window.canvas.view_box.mapViewToScene(QPointF(x + 0.5, y + 0.5))
    return window.canvas.mapFromScene(scene)


def model_window(tmp: Path, input_size: int) -> MainWindow:
    """A shown 1600x1000 window with random fosp-s weights loaded, nothing open (as gui_window's)."""
    import torch
    from PySide6.QtCore import QSettings

    from app.services import CollectingErrorReporter, Services
    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    checkpoint = tmp / "fosp-s-random.safetensors"
    if not checkpoint.exists():
        save_checkpoint(build_model("fosp-s").eval(), checkpoint)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.resize(1600, 1000)
    window.show()
    window.analysis.worker.set_input_size(input_size)
    window.analysis.settings.set_checkpoint(checkpoint)
    assert wait_until(lambda: window.analysis.model is not None)
    return window


def session(app: QApplication, tmp: Path, path: Path, label: np.ndarray, input_size: int) -> tuple[Steps, list[str]]:
    """One window's session on `path`; (its measured steps, what was wrong)."""
    problems: list[str] = []
    steps = Steps(app)
    h, w = label.shape

    window = model_window(tmp, input_size)
    steps.step("open", lambda: window.open_paths([path], remember=False),
               lambda: window.annotation.controller.document is not None)
    controller, canvas, ctl = window.annotation.controller, window.canvas, window.analysis
    doc = controller.document
    if doc.shape != (h, w):
        problems.append(f"document shape {doc.shape} != image {(h, w)}")
    steps.step("fit + zoom + pan", lambda: (canvas.fit(), app.processEvents(),
                                            *[canvas.zoom_by(ZOOM_STEP) for _ in range(3)],
                                            canvas.view_box.translateBy(x=w / 7, y=h / 9)))
    canvas.fit()
    steps.step("run model", ctl.action_run.trigger, lambda: ctl.prediction is not None)
    if ctl.prediction is not None and ctl.prediction.probability.shape != (h, w):
        problems.append(f"probability {ctl.prediction.probability.shape} != image {(h, w)}")

    def every_layer() -> None:
        for layer in list(ctl.layers):
            ctl.layers.set_visible(layer.name, True)
            app.processEvents()

    steps.step("show every layer", every_layer)
    viewport = canvas.viewport()
    x0, y0 = int(w * 0.3), int(h * 0.4)

    def stroke() -> None:
        QTest.keyClick(canvas, Qt.Key.Key_B)
        positions = [viewport_pos(window, x0 + i * w // 20, y0) for i in range(5)]
        QTest.mousePress(viewport, LEFT, NONE, positions[0])
        for pos in positions[1:]:
            QTest.mouseMove(viewport, pos)
        QTest.mouseRelease(viewport, LEFT, NONE, positions[-1])

    steps.step("brush stroke", stroke)
    if doc.mask[y0, x0 + w // 10] != 1:
        problems.append("brush stroke not painted where drawn")
    px, py = int(w * 0.6), int(h * 0.6)
    corners = [(px, py), (px + w // 10, py), (px + w // 10, py + h // 10), (px, py + h // 10)]

    def polygon() -> None:
        QTest.keyClick(canvas, Qt.Key.Key_P)
        for x, y in corners:
            QTest.mouseClick(viewport, LEFT, NONE, viewport_pos(window, x, y))
        controller.close_polygon()

    steps.step("polygon", polygon)
    if doc.mask[py + h // 20, px + w // 20] != 1 or doc.mask[py - 3, px - 3] != 0:
        problems.append("polygon not filled where drawn")
    steps.step("accept prediction", controller.accept_prediction,  # landed: prepared on a worker at >= 4 MP
               lambda: not getattr(controller, "accepting", None) or not controller.accepting.pending)
    accepted = doc.mask.copy()
    steps.step("undo + redo", lambda: (controller.undo(), app.processEvents(), controller.redo()))
    if not np.array_equal(doc.mask, accepted):
        problems.append("undo + redo did not give back the accepted mask")
    project, image_id = controller.project, doc.image_id
    steps.step("save", lambda: None, lambda: not doc.dirty if hasattr(doc, "dirty") else True)
    controller.open_documents.flush()
    saved = project.load_mask(image_id)
    if saved is None or not np.array_equal(saved, accepted):
        problems.append("saved mask differs from the document's")
    ctl.layers.set_visible("prediction mask", True)
    out = tmp / "view.png"
    QFileDialog.getSaveFileName = lambda *args: (str(out), "")  # type: ignore[method-assign]
    steps.step("export view", ctl.view_export.dialog, lambda: ctl.view_export.writing is None)
    if not out.exists():
        problems.append("Export View wrote nothing")
    worker = ExportWorker(project, ExportOptions(dst=tmp / "export", splits=(1.0, 0.0, 0.0)))
    finished: list[object] = []
    worker.signals.finished.connect(finished.append)
    worker.signals.failed.connect(lambda m: (problems.append(f"export failed: {m}"), finished.append(m)))
    steps.step("export SmokeSeg", worker.start, lambda: bool(finished))
    exported = sorted((tmp / "export").rglob("*.png"))
    masks = [p for p in exported if "SegmentationClass" in str(p) or "gt" in p.parts]
    if not masks:
        problems.append(f"no exported mask ({[str(p) for p in exported]})")
    elif read_mask(masks[0]).shape != (h, w):
        problems.append(f"exported mask {read_mask(masks[0]).shape} != image {(h, w)}")
    window.close()
    app.processEvents()

    window = model_window(tmp, input_size)
    steps.step("reopen", lambda: window.open_paths([path], remember=False),
               lambda: window.annotation.controller.document is not None)
    again = window.annotation.controller.document
    if again is None or not np.array_equal(again.mask, accepted):
        problems.append("reopened mask differs from the saved one")
    window.close()
    app.processEvents()
    return steps, problems



def child(name: str, input_size: int) -> int:
    """One photo's session in this process; prints its rows as JSON."""
    import json

    from app.memory_return import return_large_blocks

    rss_guard(float(os.environ.get("FOSP_BENCH_RSS_MB", "12000")))
    return_large_blocks()  # as create_app does
    app = QApplication.instance() or QApplication([])
    path, label = write(PHOTOS_DIR, name)
    with tempfile.TemporaryDirectory() as tmp:
        steps, problems = session(app, Path(tmp), path, label, input_size)
    print(json.dumps({"rows": steps.rows, "problems": problems}), flush=True)
    os._exit(0)  # skip interpreter teardown: pyqtgraph items crash the GC at exit in offscreen Qt


def steps_told(stderr: str) -> dict[str, list[float]]:
    """The rows a child printed as it went ("  step NAME: peak / gui / wall (RSS ...)"), for a child
    stopped before its table."""
    import re

    found = re.findall(r"^  step (.+?): ([\d.-]+) / ([\d.-]+) / ([\d.-]+) \(", stderr, re.MULTILINE)
    return {name: [float(a), float(b), float(c)] for name, a, b, c in found}


def main() -> int:
    import json
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=list(KINDS))
    parser.add_argument("--input-size", type=int, default=256)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.input_size)
    load = [os.getloadavg()[0]]
    results: dict[str, dict] = {}
    for name in args.only:  # each in a process of its own (a closed window's memory is not all given back)
        done = subprocess.run([sys.executable, __file__, "--child", name, "--input-size", str(args.input_size)],
                              capture_output=True, text=True, check=False)
        print(done.stderr.replace("This plugin does not support propagateSizeHints()\n", ""), file=sys.stderr)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        results[name] = json.loads(lines[-1]) if lines else {"rows": steps_told(done.stderr), "problems": [
            f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:] }"]}
        load.append(os.getloadavg()[0])
        print(f"{name}: done, problems: {results[name]['problems'] or 'none'}", file=sys.stderr, flush=True)
    print(f"offscreen 1600x1000 window, random fosp-s at input {args.input_size}; CPU {os.cpu_count()} cores, "
          f"load average {statistics.mean(load):.1f}\n")
    print("cells: peak RSS above the step's start MB / longest GUI-thread turn ms / wall ms\n")
    names = list(results)
    print("| step | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    steps = max((r["rows"] for r in results.values()), key=len)
    for step in steps:
        cells = [results[n]["rows"].get(step) for n in names]
        print(f"| {step} | " + " | ".join(f"{c[0]:.0f} / {c[1]:.0f} / {c[2]:.0f}" if c else "-" for c in cells) + " |")
    for name in names:
        print(f"\n{name}: problems: {results[name]['problems'] or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
