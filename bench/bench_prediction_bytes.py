"""Benchmark: what one prediction of a big photo holds, and what the analysis view's result cache
keeps of a few of them.

    python bench/bench_prediction_bytes.py [--sizes 4000x3000,8000x6000] [--repeats 2] [--threshold]

For each size a demo photo is scaled up to it and predicted by the default model on the CPU with the
maps the analysis view asks for (focus, hole, background, foreground energy: the worker's
SHOWN_NEEDS) and with every map (need="all": the side outputs too). Columns: **prediction MB**
(:func:`fosp_core.analysis.results.prediction_nbytes`), of which **energy MB** (the four foreground
energies), **side MB**, **focus/hole/bg MB** (Focus Map, τ hole, separated background); **predict s**:
``Predictor.predict`` wall time, median of --repeats; **cache keeps**: how many of three such
results a default :class:`ResultCache` (512 MiB) still holds after putting them in turn, and its
bytes (it always keeps its newest, however big); **layers s**: ``layer_arrays`` at threshold 0.5
(what the inference thread prepares for the view: the τ contour reads the hole); **draw s**: the
three maps at the image's size (``np.asarray``, what drawing the Focus Map, hole and background
layers takes; an array already held costs nothing).

--threshold (one size, the last): what a move of the mask threshold slider costs with the
probability as it is held (``thresholded_arrays``: the mask), and what it would cost held otherwise:
at the network's grid (the sigmoid of the upsampled logits made again, then the mask) or as float16
(and how many pixels' mask then differs, over the slider's 1001 thresholds k/1000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from fosp_core.analysis.layers import layer_arrays, thresholded_arrays  # noqa: E402
from fosp_core.analysis.results import ResultCache, ResultKey, prediction_nbytes  # noqa: E402
from fosp_core.infer import assemble  # noqa: E402
from fosp_core.infer.predictor import Predictor  # noqa: E402
from fosp_core.infer.tiling import maps_from_letterbox  # noqa: E402

SHOWN = "focus,hole,background,foreground"
MB = 1e6


def photo(h: int, w: int) -> np.ndarray:
    """RGB uint8 (h, w, 3): the first demo photo scaled to (h, w)."""
    bgr = cv2.imread(str(sorted((ROOT / "resources" / "demo" / "JPEGImages").glob("*.jpg"))[0]))
    return np.ascontiguousarray(cv2.cvtColor(cv2.resize(bgr, (w, h), interpolation=cv2.INTER_LINEAR),
                                             cv2.COLOR_BGR2RGB))


def nbytes(maps: dict) -> int:
    return sum(m.nbytes for m in maps.values())


def timed(fn, repeats: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sizes_table(sizes: list[tuple[int, int]], repeats: int, predictor: Predictor) -> None:
    print(f"{'size':>10} {'need':>6} {'prediction MB':>14} {'energy MB':>10} {'side MB':>8} {'focus/hole/bg MB':>17}"
          f" {'predict s':>10} {'cache keeps':>12} {'cache MB':>9} {'layers s':>9} {'draw s':>7}")
    for w, h in sizes:
        rgb = photo(h, w)
        for need, label in ((SHOWN, "shown"), ("all", "all")):
            times, pred = [], None
            for _ in range(repeats):
                pred = None
                t0 = time.perf_counter()
                pred = predictor.predict(rgb, need=need)
                times.append(time.perf_counter() - t0)
            assert pred is not None
            cache = ResultCache()
            for i in range(3):
                cache.put(ResultKey.make(f"/photo-{i}.jpg", "default", 0.15), pred)
            held = "/".join(f"{m.nbytes / MB:.1f}" for m in (pred.focus_map, pred.hole, pred.background))
            layers = timed(lambda p=pred: layer_arrays(p, 0.5), repeats)
            draw = timed(lambda p=pred: [np.asarray(m) for m in (p.focus_map, p.hole, p.background)], repeats)
            print(f"{w}x{h:<5} {label:>6} {prediction_nbytes(pred) / MB:14.1f} {nbytes(pred.foreground_energy) / MB:10.2f}"
                  f" {nbytes(pred.side_maps) / MB:8.2f} {held:>17} {statistics.median(times):10.2f} {len(cache):>12d}"
                  f" {cache.nbytes / MB:9.1f} {layers:9.2f} {draw:7.2f}")
            del pred, cache


def threshold_table(size: tuple[int, int], repeats: int, predictor: Predictor) -> None:
    w, h = size
    seen: list[dict] = []
    real_add = assemble.Assembler.add

    def add(self, k, maps):  # noqa: ANN001, ANN202
        seen.append({n: m.detach().clone() for n, m in maps.items()})
        return real_add(self, k, maps)

    assemble.Assembler.add = add
    try:
        predictor.clear_cache()
        pred = predictor.predict(photo(h, w), need=())
    finally:
        assemble.Assembler.add = real_add
    logits, geom = seen[-1]["logits"], letterbox_geometry_of(pred, predictor)
    held = timed(lambda: thresholded_arrays(pred, 0.5), repeats)
    at_grid = timed(lambda: np.asarray(torch.sigmoid(maps_from_letterbox(logits, geom)[0])) > 0.5, repeats)
    half = pred.probability.astype(np.float16)
    half_move = timed(lambda: (half > 0.5).astype(np.uint8), repeats)
    differ = [int(np.count_nonzero((half > t) != (pred.probability > t))) for t in np.arange(1001) / 1000]
    print(f"\nthreshold move at {w}x{h} (median of {repeats}):")
    print(f"{'probability held as':>24} {'MB':>7} {'move s':>7} {'mask pixels that differ':>26}")
    print(f"{'float32 (H, W) (today)':>24} {pred.probability.nbytes / MB:7.1f} {held:7.3f} {0:>26d}")
    print(f"{'grid logits (full per move)':>24} {logits.numel() * 4 / MB:7.3f} {held + at_grid:7.3f} {0:>26d}")
    print(f"{'float16 (H, W)':>24} {half.nbytes / MB:7.1f} {half_move:7.3f} "
          f"{f'max {max(differ)}, {sum(d > 0 for d in differ)}/1001 thresholds':>26}")


def letterbox_geometry_of(pred, predictor: Predictor):  # noqa: ANN001, ANN201
    from fosp_core.infer.tiling import letterbox_geometry

    return letterbox_geometry(*pred.shape, predictor.input_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="4000x3000,8000x6000", help="WxH,WxH")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threshold", action="store_true", help="also the threshold table (the last size)")
    parser.add_argument("--no-sizes", action="store_true", help="only the threshold table")
    args = parser.parse_args()
    torch.set_num_threads(2)
    predictor = Predictor(ROOT / "resources" / "models" / "fosp-default.safetensors", device="cpu")
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    print(f"code: {ROOT}")
    if not args.no_sizes:
        sizes_table(sizes, args.repeats, predictor)
    if args.threshold:
        threshold_table(sizes[-1], args.repeats, predictor)


if __name__ == "__main__":
    main()
