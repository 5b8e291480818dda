"""Benchmark: the GUI thread's longest turn for Accept Prediction, Undo and Redo in the real main
window (offscreen, 1600x1000) on huge photos, and what one undo step keeps.

    python bench/bench_accept_undo_huge.py [--sizes 4000x3000 8000x6000 12000x8000] [--rounds 2]
        [--before /tmp/tree-of-an-older-commit]

A real SMOKE5K photo (``bench/huge_photos.py``) upscaled to each size is opened in an annotation
project (no model: its probability is made from the photo's label, blurred, plus smooth noise, as
``bench_accept_prediction.py`` does, and handed to the controller as a prediction arriving); its
mask is empty (an unlabeled image, what Shift+A is mostly for). Then Accept Prediction, Undo, Redo,
each measured from its call until its step has landed (the history changed) and 0.3 s more:

* **event ms**: the longest the GUI thread spent on one thing: the call itself, or one event
  delivered by the event loop (``QApplication.notify`` timed at the top level: the step landing
  from the worker, a paint), and of that, the ms spent in the project's save of the commit (its
  recovery-log record and the queued PNG: ``Project._autosave``);
* **turn ms**: the longest ``processEvents()`` call of the pump (every event then pending: a
  landing and the paint it asks for together), as ``bench_huge_images.py`` measures a step;
* **step KiB**: what the history keeps of the accept step (its packed patches);
* **peak MB**: the process's peak RSS above its RSS before the accept (``VmHWM``, reset first).

With ``--before TREE`` the same runs with the package imported from TREE (e.g. ``git archive`` of
an older commit), child by child, interleaved with this tree's (the order alternating by round).
Each (tree, size) runs in a process of its own. Prints a markdown table of medians ("not the save": the event's ms outside the project's save).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from huge_photos import interleaved_children

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTOS_DIR = Path("/tmp/fosp-huge")


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(tree: Path, size: str) -> int:
    """One window on one photo with the package of `tree`; prints the measures as JSON."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path[:0] = [str(tree), str(HERE)]
    import numpy as np
    from huge_photos import predicted_window
    from PySide6.QtWidgets import QApplication

    from app.memory_return import return_large_blocks

    return_large_blocks()  # as create_app does
    saving = [0.0]

    class TimedApp(QApplication):
        """Times each event delivered at the top level (nested sends count in their caller's)."""

        depth, longest, save_in_longest = 0, 0.0, 0.0

        def notify(self, receiver, event):  # noqa: ANN001, ANN202, N802
            if TimedApp.depth:
                return super().notify(receiver, event)
            TimedApp.depth, saved, start = 1, saving[0], time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                TimedApp.depth, took = 0, (time.perf_counter() - start) * 1000
                if took > TimedApp.longest:
                    TimedApp.longest, TimedApp.save_in_longest = took, (saving[0] - saved) * 1000

    app = TimedApp([])
    width, height = (int(v) for v in size.split("x"))
    window, probability = predicted_window(PHOTOS_DIR, size, "fosp-bench-accept-")
    controller = window.annotation.controller
    doc = controller.document
    project_class = type(controller.project)
    autosave = project_class._autosave

    def timed_autosave(self, doc, commit):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        try:
            return autosave(self, doc, commit)
        finally:
            saving[0] += time.perf_counter() - start

    project_class._autosave = timed_autosave

    def step(action, landed) -> tuple[float, float, float]:  # noqa: ANN001
        """(longest event ms, ms of it in the project's save, longest processEvents turn ms)."""
        saving[0] = 0.0
        start = time.perf_counter()
        action()
        longest = (time.perf_counter() - start) * 1000
        TimedApp.longest, TimedApp.save_in_longest = longest, saving[0] * 1000
        end, extra = time.perf_counter() + 120, None
        while time.perf_counter() < end:
            turn = time.perf_counter()
            app.processEvents()
            longest = max(longest, (time.perf_counter() - turn) * 1000)
            if extra is None and landed():
                extra = time.perf_counter() + 0.3
            if extra is not None and time.perf_counter() > extra:
                return TimedApp.longest, TimedApp.save_in_longest, longest
            time.sleep(0.002)
        raise TimeoutError("the step did not land")

    rows: dict[str, list[float]] = {}
    base = rss_mb()
    Path("/proc/self/clear_refs").write_text("5")
    rows["accept"] = list(step(controller.accept_prediction, lambda: doc.history.undo_count == 1))
    peak = rss_mb("VmHWM") - base
    if not np.array_equal(doc.mask, (probability > controller.state.threshold).astype(np.uint8)):
        raise SystemExit("the accepted mask is not the prediction")
    stored = doc.history.newest.nbytes / 1024
    rows["undo"] = list(step(controller.undo, lambda: doc.history.undo_count == 0))
    if doc.mask.any():
        raise SystemExit("undo did not give the empty mask back")
    rows["redo"] = list(step(controller.redo, lambda: doc.history.undo_count == 1))
    print(json.dumps({"rows": rows, "stored_kib": stored, "peak_mb": peak}), flush=True)
    os._exit(0)  # skip interpreter teardown (pyqtgraph items at exit in offscreen Qt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["4000x3000", "8000x6000", "12000x8000"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path, help="a tree of an older commit to compare with")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), args.child[1])
    trees = {"before": args.before, "after": ROOT} if args.before else {"now": ROOT}
    results, loads = interleaved_children(Path(__file__), trees, args.sizes, args.rounds)
    print(f"offscreen 1600x1000 window, empty mask, {args.rounds} runs each ({' / '.join(trees)} interleaved), "
          f"medians; CPU {os.cpu_count()} cores, load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| photo | tree | Accept: event ms (of it, project save) / turn ms | not the save | Undo | not the save "
          "| Redo | not the save | accept step KiB | accept peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        mp = round(int(size.split("x")[0]) * int(size.split("x")[1]) / 1e6)
        for name in trees:
            runs = results.get((name, size), [])
            if not runs:
                print(f"| {size} ({mp} MP) | {name} |" + " - |" * 8)
                continue

            def cells(what: str, runs: list[dict] = runs) -> str:
                gui, save, turn = (statistics.median(r["rows"][what][i] for r in runs) for i in range(3))
                other = statistics.median(r["rows"][what][0] - r["rows"][what][1] for r in runs)
                return f"{gui:.0f} ({save:.0f}) / {turn:.0f} | {other:.0f}"

            stored = statistics.median(r["stored_kib"] for r in runs)
            peak = statistics.median(r["peak_mb"] for r in runs)
            print(f"| {size} ({mp} MP) | {name} | {cells('accept')} | {cells('undo')} | {cells('redo')} "
                  f"| {stored:.0f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
