"""Benchmark: what one prediction of a big photo holds, and what the analysis view's result cache
keeps of a few of them.

    python bench/bench_prediction_bytes.py [--sizes 4000x3000,8000x6000] [--repeats 2]

For each size a demo photo is scaled up to it and predicted by the default model on the CPU with the
maps the analysis view asks for (focus, hole, background, foreground energy: the worker's
SHOWN_NEEDS) and with every map (need="all": the side outputs too). Columns: **prediction MB**
(:func:`fosp_core.analysis.results.prediction_nbytes`), of which **energy MB** (the four foreground
energies) and **side MB**; **predict s**: ``Predictor.predict`` wall time, median of --repeats;
**cache keeps**: how many of three such results a default :class:`ResultCache` (512 MiB) still holds
after putting them in turn, and its bytes (it always keeps its newest, however big).
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

from fosp_core.analysis.results import ResultCache, ResultKey, prediction_nbytes  # noqa: E402
from fosp_core.infer.predictor import Predictor  # noqa: E402

SHOWN = "focus,hole,background,foreground"
MB = 1e6


def photo(h: int, w: int) -> np.ndarray:
    """RGB uint8 (h, w, 3): the first demo photo scaled to (h, w)."""
    bgr = cv2.imread(str(sorted((ROOT / "resources" / "demo" / "JPEGImages").glob("*.jpg"))[0]))
    return np.ascontiguousarray(cv2.cvtColor(cv2.resize(bgr, (w, h), interpolation=cv2.INTER_LINEAR),
                                             cv2.COLOR_BGR2RGB))


def nbytes(maps: dict) -> int:
    return sum(m.nbytes for m in maps.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="4000x3000,8000x6000", help="WxH,WxH")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(2)
    predictor = Predictor(ROOT / "resources" / "models" / "fosp-default.safetensors", device="cpu")
    print(f"code: {ROOT}")
    print(f"{'size':>10} {'need':>6} {'prediction MB':>14} {'energy MB':>10} {'side MB':>8} {'predict s':>10}"
          f" {'cache keeps':>12} {'cache MB':>9}")
    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        rgb = photo(h, w)
        for need, label in ((SHOWN, "shown"), ("all", "all")):
            times, pred = [], None
            for _ in range(args.repeats):
                pred = None
                t0 = time.perf_counter()
                pred = predictor.predict(rgb, need=need)
                times.append(time.perf_counter() - t0)
            assert pred is not None
            cache = ResultCache()
            for i in range(3):
                cache.put(ResultKey.make(f"/photo-{i}.jpg", "default", 0.15), pred)
            print(f"{size:>10} {label:>6} {prediction_nbytes(pred) / MB:14.1f} {nbytes(pred.foreground_energy) / MB:10.2f}"
                  f" {nbytes(pred.side_maps) / MB:8.2f} {statistics.median(times):10.2f} {len(cache):>12d}"
                  f" {cache.nbytes / MB:9.1f}")
            del pred, cache


if __name__ == "__main__":
    main()
