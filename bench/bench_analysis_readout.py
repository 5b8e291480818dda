"""What one hover readout costs: the values of an analysis result's layers at a single pixel (session 33, G).

A letterboxed result as the default model's runner makes it (Focus Map at stride 16, the τ hole and the
separated background at the 512 px canvas, four strides' foreground energies: every map held at the
network's grid, :class:`~fosp_core.infer.gridmap.GridMap`) of a photo of each size, its shown layers as
the analysis view holds them (``app.analysis.prepared.shown_layers``). For each size: the mean time of
one single-pixel read ``layer[y, x]`` per layer kind, and of the status bar's whole readout
(``app.analysis.readouts.hover_text``: every layer at the pixel), over random pixels (the best of three
passes: the machine is shared).

Run from a checkout's root (it imports the checkout it runs in); before/after: run it in a copy of the
older commit too (``git archive <commit> fosp_core app | tar -x -C /tmp/before && cd /tmp/before &&
python /work/main/bench/bench_analysis_readout.py``).

    python bench/bench_analysis_readout.py --reads 300
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.getcwd())

import numpy as np  # noqa: E402

SIZES = ((300, 400), (480, 640), (960, 1280), (1080, 1920), (3000, 4000))
LAYERS = ("focus map", "foreground energy /4", "separated background", "hole", "τ contour")


def letterboxed(shape: tuple[int, int]):  # noqa: ANN201
    """A letterboxed prediction of an image of `shape`: every map but the probability at the grid."""
    from fosp_core.infer.gridmap import GridMap
    from fosp_core.infer.result import Prediction
    from fosp_core.infer.tiling import letterbox_geometry

    h, w = shape
    geom = letterbox_geometry(h, w, 512)
    rng = np.random.default_rng(0)
    ch, cw = geom.canvas_h, geom.canvas_w
    focus = GridMap(rng.random((ch // 16, cw // 16), np.float32), geom, unit=True, banded=False)
    hole = GridMap(rng.random((ch // 8, cw // 8)).repeat(8, 0).repeat(8, 1) > 0.7, geom, kind="mask",
                   banded=False)
    background = GridMap(rng.random((3, ch, cw), np.float32) * 255, geom, kind="rgb", banded=False)
    energy = {s: GridMap(rng.random((ch // s, cw // s), np.float32) * s, geom) for s in (4, 8, 16, 32)}
    return Prediction(probability=rng.random(shape, np.float32), focus_map=focus, hole=hole,
                      background=background, foreground_energy=energy, tau=0.5)


def per_read_us(read, pixels: np.ndarray, passes: int = 3) -> float:  # noqa: ANN001
    """Mean microseconds of read(y, x) over `pixels` ((n, 2): y, x), the best of `passes` passes (a shared
    machine's noise), after one read not counted."""
    read(int(pixels[0, 0]), int(pixels[0, 1]))
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for y, x in pixels:
            read(int(y), int(x))
        best = min(best, time.perf_counter() - start)
    return best / len(pixels) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=300, help="random pixels read per layer and size")
    args = parser.parse_args()
    from app.analysis.prepared import shown_layers
    from app.analysis.readouts import hover_text

    print(f"{'image':>11} | " + " | ".join(f"{name:>20}" for name in (*LAYERS, "hover_text (all)")))
    print("-" * (14 + 23 * (len(LAYERS) + 1)))
    for shape in SIZES:
        arrays, _ = shown_layers(letterboxed(shape), 0.5, None, "plain", None)
        rng = np.random.default_rng(1)
        pixels = np.stack([rng.integers(0, shape[0], args.reads), rng.integers(0, shape[1], args.reads)], 1)
        cells = []
        for name in LAYERS:
            layer = arrays[name]
            few = name == "τ contour" or shape[0] < 512 > shape[1]  # (the whole map a read before)
            reads = pixels[: max(3, args.reads // 30)] if few else pixels
            cells.append(per_read_us(lambda y, x, layer=layer: layer[y, x], reads))
        small = shape[0] < 512 > shape[1]  # (every map whole, a read before)
        cells.append(per_read_us(lambda y, x, arrays=arrays: hover_text(arrays, x, y, None, 0.5),
                                 pixels[: max(3, args.reads // 30)] if small else pixels))
        print(f"{shape[1]:>5}x{shape[0]:<5} | " + " | ".join(f"{us:>17.1f} us" for us in cells))


if __name__ == "__main__":
    main()
