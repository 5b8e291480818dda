"""Benchmark: the GUI thread's longest turn for the edits and switches of a huge photo (session 28, C).

    python bench/bench_huge_turns.py [--sizes 4000x3000 8000x6000] [--rounds 2]
        [--before /tmp/tree-of-an-older-commit] [--profile STEP[,STEP...]]

A real SMOKE5K photo (``bench/huge_photos.py``) upscaled to each size is opened in an annotation
project in the real main window (offscreen, 1600x1000, no model: the probability is the photo's
label blurred plus smooth noise, as ``bench_accept_undo_huge.py`` makes it). Then, each measured
from its call until it has landed and 0.3 s more:

* **first commit**: a brush stroke (radius 40, across a fifth of the image), the document's first
  commit (the project's save hands its whole mask over then);
* **stroke commit**: a second such stroke, elsewhere;
* **accept**: Accept Prediction (prepared on its worker at 4 MP and more);
* **undo** / **redo**: of the accept;
* **switch (grid)**: with the compare grid's dock shown, two results (four strides' foreground
  energies, Focus Map, hole and background at the network's grid, as ``bench_shown_layers.py
  --grid`` makes them) shown in turn, four switches, each until the grid's panels are drawn.

Each cell is the longest the GUI thread spent on one thing, ms: the call itself, or one event the
loop delivered (``QApplication.notify`` timed at the top level). For a stroke the segments drawn
before its release are not counted (the release, the step's commit, is). Also: what the history
keeps of each step (KiB) and the accept's peak RSS above its start (MB).

With ``--before TREE`` the same runs with the package imported from TREE, interleaved with this
tree's. Each (tree, size) runs in a process of its own. ``--profile STEP[,STEP...]`` prints the
cProfile of those steps (one child, this tree) instead of the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from huge_photos import interleaved_children

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTOS_DIR = Path("/tmp/fosp-huge")
STEPS = ("first commit", "stroke commit", "accept", "undo", "redo", "switch (grid)")


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(tree: Path, size: str, profile: str | None) -> int:  # noqa: PLR0915
    """One window on one photo with the package of `tree`; prints the measures as JSON."""
    from gui_turns import huge_child, pump

    app, window, _ = huge_child(tree, PHOTOS_DIR, size, "fosp-bench-turns-")
    import cProfile
    import pstats

    import numpy as np
    from bench_shown_layers import letterboxed
    from gui_window import wait_until

    from fosp_core.annotation import tools

    width, height = (int(v) for v in size.split("x"))
    controller = window.annotation.controller
    doc = controller.document
    wanted = profile.split(",") if profile else []
    profilers = {name: cProfile.Profile() for name in wanted}

    def step(name: str, action, landed) -> float:  # noqa: ANN001
        """The longest the GUI thread spent on one thing from `action` until `landed` and 0.3 s more (ms)."""
        profiler = profilers.get(name)
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        action()
        longest = pump(app, landed, (time.perf_counter() - start) * 1000)
        if profiler is not None:
            profiler.disable()
        return longest

    def stroke(y: int) -> None:
        brush = tools.BrushStroke(doc, 40, 1)
        for x in range(width // 10, width * 3 // 10, 20):
            brush.add_point(x, y)
        app.processEvents()  # the segments' own updates and paints: not this step's
        pump(app, lambda: True, 0.0)
        timed.append(brush)

    timed: list = []
    rows: dict[str, float] = {}
    kib: dict[str, float] = {}
    for name, y in (("first commit", height // 3), ("stroke commit", height * 2 // 3)):
        stroke(y)
        count = doc.history.undo_count
        rows[name] = step(name, timed.pop().finish, lambda c=count: doc.history.undo_count == c + 1)
        kib[name] = doc.history.newest.nbytes / 1024
    reference = np.array(doc.mask)
    base = rss_mb()
    Path("/proc/self/clear_refs").write_text("5")
    rows["accept"] = step("accept", controller.accept_prediction, lambda: doc.history.undo_count == 3)
    peak = rss_mb("VmHWM") - base
    kib["accept"] = doc.history.newest.nbytes / 1024
    accepted = np.array(doc.mask)
    rows["undo"] = step("undo", controller.undo, lambda: doc.history.undo_count == 2)
    if not np.array_equal(doc.mask, reference):
        raise SystemExit("undo did not give the mask before the accept back")
    rows["redo"] = step("redo", controller.redo, lambda: doc.history.undo_count == 3)
    if not np.array_equal(doc.mask, accepted):
        raise SystemExit("redo did not give the accepted mask back")
    ctl = window.analysis
    ctl.grid_dock.show()
    wait_until(lambda: ctl.grid_dock.isVisible(), 30)
    results = [letterboxed(1, (height, width), True), letterboxed(2, (height, width), True)]
    overlays = ctl.shown.overlays
    switches = []
    for i in range(4):
        switches.append(step("switch (grid)", lambda r=results[i % 2]: ctl._show(r),
                             lambda: not getattr(overlays, "pending", None) and not getattr(ctl.shown, "pending", None)
                             and not getattr(ctl.grid, "drawing", None)))
    rows["switch (grid)"] = statistics.median(switches)
    for name, profiler in profilers.items():
        print(f"===== {name}", file=sys.stderr)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
    print(json.dumps({"rows": rows, "kib": kib, "peak_mb": peak, "switches": switches}), flush=True)
    os._exit(0)  # skip interpreter teardown (pyqtgraph items at exit in offscreen Qt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["4000x3000", "8000x6000"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path, help="a tree of an older commit to compare with")
    parser.add_argument("--profile", help="print the cProfile of these steps (comma-separated names of STEPS; one "
                        "child, this tree)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), args.child[1], args.profile)
    if args.profile:
        cmd = [sys.executable, __file__, "--child", str(ROOT), args.sizes[0], "--profile", args.profile]
        return subprocess.run(cmd, check=False, cwd=ROOT).returncode
    trees = {"before": args.before, "after": ROOT} if args.before else {"now": ROOT}
    results, loads = interleaved_children(Path(__file__), trees, args.sizes, args.rounds)
    print(f"offscreen 1600x1000 window, {args.rounds} runs each ({' / '.join(trees)} interleaved): longest GUI-thread "
          f"event ms, median (runs); CPU {os.cpu_count()} cores, load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| photo | tree | " + " | ".join(STEPS) + " | step KiB (first / stroke / accept) | accept peak MB |")
    print("|---|---|" + "---:|" * (len(STEPS) + 2))
    for size in args.sizes:
        mp = round(int(size.split("x")[0]) * int(size.split("x")[1]) / 1e6)
        for name in trees:
            runs = results.get((name, size), [])
            if not runs:
                print(f"| {size} ({mp} MP) | {name} |" + " - |" * (len(STEPS) + 2))
                continue
            cells = []
            for what in STEPS:
                values = [r["rows"][what] for r in runs]
                cells.append(f"{statistics.median(values):.0f} ({'/'.join(f'{v:.0f}' for v in values)})")
            kib = " / ".join(f"{statistics.median(r['kib'][k] for r in runs):.1f}"
                             for k in ("first commit", "stroke commit", "accept"))
            peak = statistics.median(r["peak_mb"] for r in runs)
            print(f"| {size} ({mp} MP) | {name} | {' | '.join(cells)} | {kib} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
