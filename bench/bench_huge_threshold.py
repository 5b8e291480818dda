"""Benchmark: the GUI thread's longest turn for a mask-threshold (τ slider) step on a huge photo (session 29, N).

    python bench/bench_huge_threshold.py [--sizes 4000x3000 8000x6000] [--rounds 2] [--steps 6]
        [--before /tmp/tree-of-an-older-commit]

A real SMOKE5K photo (``bench/huge_photos.py``) upscaled to each size is opened in the real main window
(offscreen, 1600x1000, no model); a result is shown whose probability is the photo's label blurred plus
smooth noise (as ``predicted_window`` makes it; the grid maps of ``bench_shown_layers.letterboxed``),
with the prediction mask layer (outlined) shown. Then the panel's threshold is moved `--steps` times
(0.45, 0.55, 0.40, 0.60, ...: ``settings.set_threshold``, what the slider's move does), each measured
from its call until the shown result's layers have landed (``ShownResult.pending`` False) and 0.3 s
more; and a drag (five moves in one turn each, then the settle) the same way.

Each cell is the longest the GUI thread spent on one thing, ms: the call itself, or one event the loop
delivered (``QApplication.notify`` timed at the top level); "step" is the median over the steps of a run,
the cell the median over runs (the runs' values in brackets). With ``--before TREE`` the same runs with
the package imported from TREE, interleaved with this tree's, each (tree, size) a process of its own.
The prediction mask's picture after the last step is checked against ``Prediction.mask`` at that
threshold (the run fails otherwise).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from pathlib import Path

from huge_photos import interleaved_children

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTOS_DIR = Path("/tmp/fosp-huge")


def child(tree: Path, size: str, steps: int) -> int:
    """One window on one photo with the package of `tree`; prints the measures as JSON."""
    from gui_turns import huge_child, pump

    app, window, probability = huge_child(tree, PHOTOS_DIR, size, "fosp-bench-threshold-")
    import numpy as np
    from bench_shown_layers import letterboxed

    width, height = (int(v) for v in size.split("x"))
    ctl = window.analysis
    shown = ctl.shown

    def landed() -> bool:
        return not getattr(shown, "pending", False) and not getattr(shown.overlays, "pending", None)

    def step(*thresholds: float) -> float:
        """The longest the GUI thread spent on one thing from the moves to `thresholds` until landed (ms)."""
        start, longest = time.perf_counter(), 0.0
        for threshold in thresholds:
            start = time.perf_counter()
            ctl.settings.set_threshold(threshold)
            longest = max(longest, (time.perf_counter() - start) * 1000)
            if threshold != thresholds[-1]:  # a drag: the next move comes after one turn of the loop
                app.longest = longest
                app.processEvents()
                longest = max(longest, app.longest)
        return pump(app, landed, longest)

    result = dataclasses.replace(letterboxed(1, (height, width)), probability=probability)
    ctl.layers.set_visible("prediction mask", True)
    ctl.settings.set_threshold(0.5)
    ctl._show(result)
    pump(app, landed, 0.0)
    values = [0.45 + 0.05 * (i // 2) * (1 if i % 2 else -1) + (0.1 if i % 2 else 0.0) for i in range(steps)]
    moves = [step(v) for v in values]
    drag = step(0.42, 0.44, 0.46, 0.48, 0.52)
    item = window.canvas.overlay("analysis:prediction mask")
    expected = result.mask(0.52, ctl.settings.keep)
    if item is None or item.image is None or not np.array_equal(np.asarray(item.image) != 0, expected != 0):
        raise SystemExit("the prediction mask shown is not the mask at the last threshold")
    print(json.dumps({"step": statistics.median(moves), "steps": moves, "drag": drag, "values": values}), flush=True)
    os._exit(0)  # skip interpreter teardown (pyqtgraph items at exit in offscreen Qt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["4000x3000", "8000x6000"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--before", type=Path, help="a tree of an older commit to compare with")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), args.child[1], int(os.environ.get("BENCH_STEPS", args.steps)))
    os.environ["BENCH_STEPS"] = str(args.steps)
    trees = {"before": args.before, "after": ROOT} if args.before else {"now": ROOT}
    results, loads = interleaved_children(Path(__file__), trees, args.sizes, args.rounds)
    print(f"offscreen 1600x1000 window, prediction mask shown, {args.steps} threshold steps a run, {args.rounds} runs "
          f"each ({' / '.join(trees)} interleaved): longest GUI-thread event ms, median (runs); CPU {os.cpu_count()} "
          f"cores, load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| photo | tree | τ step (median of a run's steps) | drag of 5 moves, then settled |")
    print("|---|---|---:|---:|")
    for size in args.sizes:
        mp = round(int(size.split("x")[0]) * int(size.split("x")[1]) / 1e6)
        for name in trees:
            runs = results.get((name, size), [])
            if not runs:
                print(f"| {size} ({mp} MP) | {name} | - | - |")
                continue
            cells = [f"{statistics.median(r[k] for r in runs):.0f} ({'/'.join(f'{r[k]:.0f}' for r in runs)})"
                     for k in ("step", "drag")]
            print(f"| {size} ({mp} MP) | {name} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
