"""Moving the mask threshold in the analysis view, measured offscreen on a real MainWindow.

    python bench/bench_threshold.py [--checkpoint FILE] [--input-size 512] [--repeats 30]

On a 1920×1080 image made from a bundled demo photo and its label (so the error map has something to
show), with the prediction mask and the error map visible, measures:

1. the arrays a threshold move needs: every layer (:func:`fosp_core.analysis.layers.layer_arrays`,
   what the view recomputed before) against the threshold-dependent ones only (prediction mask and
   error map, :func:`fosp_core.analysis.layers.thresholded_arrays` where this version has it);
2. ``settings.set_threshold`` in the view (arrays + redraw of the visible layers), without and with a
   synchronous repaint of the canvas (target: under 16 ms, one frame), after 0.4 s of event loop
   (a user looks before dragging; the canvas compositor makes its buffers then).

Without --checkpoint a randomly initialised fosp-s is used (speed does not depend on the weights).
Prints a markdown table.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from gui_window import analysis_window, parse_args, wait_until  # noqa: E402
from PIL import Image  # noqa: E402

from app.main import create_app  # noqa: E402
from fosp_core.analysis import layers as layers_module  # noqa: E402
from fosp_core.io.masks import read_mask, write_mask_png  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402


def make_labelled_image(root: Path, size: tuple[int, int] = (1920, 1080)) -> Path:
    """root/JPEGImages/hd.jpg and root/SegmentationClass/hd.png: the first demo photo and its label
    resized to `size` (W, H)."""
    src = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[0]
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    path = root / "JPEGImages" / "hd.jpg"
    Image.open(src).convert("RGB").resize(size).save(path, quality=92)
    label = read_mask(DEMO_DIR / "SegmentationClass" / f"{src.stem}.png")
    write_mask_png(root / "SegmentationClass" / "hd.png",
                   np.asarray(Image.fromarray(label).resize(size, Image.Resampling.NEAREST)))
    return path


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> int:
    args = parse_args(__doc__.splitlines()[0])
    _app = create_app()  # keep the QApplication alive
    with tempfile.TemporaryDirectory(prefix="fosp-bench-threshold-") as tmp:
        tmp_path = Path(tmp)
        image = make_labelled_image(tmp_path / "data")
        window = analysis_window(tmp_path, args.checkpoint, args.input_size, [image])
        ctl = window.analysis
        ctl.run_current()
        assert wait_until(lambda: not ctl._runs and ctl.prediction is not None), ctl.errors
        assert ctl.label is not None, "the label was not found"
        for name in ("prediction mask", "error map"):
            ctl.layers.set_visible(name, True)
        viewport = window.canvas.viewport()
        thresholds = iter(np.tile(np.linspace(0.2, 0.8, 13), 10000))
        only = getattr(layers_module, "thresholded_arrays", None)
        results: dict[str, dict[str, list[float]]] = {}
        for case in ("model's map", "noisy map"):
            if case == "noisy map":  # speckled mask and error map: the worst case for the arrays
                rng = np.random.default_rng(0)
                noisy = ctl.prediction
                noisy = type(noisy)(**{**noisy.__dict__,
                                       "probability": rng.random(noisy.shape, dtype=np.float32)})
                ctl._show(noisy)
            prediction, label = ctl.prediction, ctl.label
            viewport.repaint()
            wait_until(lambda: False, timeout_s=0.4)  # still for a moment, as a user before a drag

            def move() -> None:
                ctl.settings.set_threshold(float(next(thresholds)))

            def move_and_paint() -> None:
                move()
                viewport.repaint()

            out = results[case] = {}
            out["every layer's array (layer_arrays)"] = timed(
                lambda p=prediction, lab=label: layers_module.layer_arrays(p, next(thresholds), lab), args.repeats)
            if only is not None:
                out["threshold-dependent arrays only (thresholded_arrays)"] = timed(
                    lambda p=prediction, lab=label: only(p, next(thresholds), lab), args.repeats)
            out["set_threshold in the view (arrays + redraw)"] = timed(move, args.repeats)
            out["set_threshold + repaint of the canvas"] = timed(move_and_paint, args.repeats)
            out["repaint of the canvas alone (nothing changed)"] = timed(viewport.repaint, args.repeats)
        calls = ctl.worker.calls
        window.close()

    print(f"CPU, {os.cpu_count()} cores; image 1920×1080 with a label; prediction mask + error map visible; "
          f"model ran {calls}× (a threshold move runs none)\n")
    print("| map | measurement | min ms | median ms | max ms |")
    print("|---|---|---|---|---|")
    for case, rows in results.items():
        for name, values in rows.items():
            print(f"| {case} | {name} | {min(values):.1f} | {statistics.median(values):.1f} | {max(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
