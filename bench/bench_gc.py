"""What Python's cyclic garbage collection costs in the app, and where it runs (app/gc_guard.py).

    python bench/bench_gc.py [--checkpoint FILE] [--input-size 512] [--repeats 30] [--rounds 2]

Builds the real main window (1600×1000, offscreen) with a model loaded (default: the bundled
default model) and the bundled demo photos open, runs the model on all of them, then prints:

1. the heap: objects tracked by the collector, by generation, with only the QApplication and then
   with the window open and the model run; and how long a collection of each generation takes on
   that heap (median and max of --repeats; generations 0 and 1 with 700 and 7 000 young objects,
   what the default thresholds let pile up), with what create_app froze at start left out of the
   collector's walk (as the app runs) and with nothing frozen (as before app.gc_guard);
2. the collections made while the model runs on every demo photo and the view switches to the
   next photo every 0.2 s, with automatic
   collection (CPython's allocator decides, on whatever thread allocates) and with the guard
   (a 1 s timer on the GUI thread): how many of each generation, their total and longest time,
   and on which threads they ran.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gui_window import analysis_window, parse_args, wait_until  # noqa: E402

from app.analysis.inference_worker import Job  # noqa: E402
from app.gc_guard import GarbageCollectionGuard, install_gc_guard  # noqa: E402
from app.main import create_app  # noqa: E402
from fosp_core.paths import DEMO_DIR, find_model  # noqa: E402


def tracked() -> str:
    sizes = [len(gc.get_objects(generation=g)) for g in range(3)]
    return f"{sum(sizes):,} ({' / '.join(f'{n:,}' for n in sizes)})"


def collection_ms(generation: int, young: int, repeats: int) -> str:
    """Median (max) ms of gc.collect(generation) with `young` fresh objects that survive it."""
    times = []
    for _ in range(repeats):
        gc.collect()
        keep = [[] for _ in range(young)]  # noqa: F841 - tracked, alive: the collector walks them
        t = time.perf_counter()
        gc.collect(generation)
        times.append((time.perf_counter() - t) * 1000)
    return f"{statistics.median(times):.2f} ({max(times):.2f})"


def heap_rows(label: str, repeats: int) -> list[str]:
    """As the app runs (what create_app found frozen), then with nothing frozen (as before the
    guard); leaves everything frozen."""
    rows = []
    for frozen in (True, False):
        if not frozen:
            gc.unfreeze()
        gc.collect()
        state = f"{gc.get_freeze_count():,} frozen at start" if frozen else "nothing frozen"
        times = [collection_ms(2, 0, repeats), collection_ms(1, 7000, repeats),
                 collection_ms(0, 700, repeats)]
        rows.append(f"| {label}, {state} | {tracked()} | {' | '.join(times)} |")
    gc.freeze()
    return rows


class CollectionLog:
    """Every collection while attached (gc.callbacks): generation, duration, thread."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, float, str]] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.entries.append((info["generation"], (time.perf_counter() - self._start) * 1000,
                                 threading.current_thread().name))

    def row(self, label: str, seconds: float) -> str:
        by_gen = [sum(1 for g, _, _ in self.entries if g == gen) for gen in range(3)]
        total = sum(ms for _, ms, _ in self.entries)
        longest = max((ms for _, ms, _ in self.entries), default=0.0)
        threads = sorted({name for _, _, name in self.entries})
        off_gui = sum(1 for _, _, name in self.entries if name != threading.main_thread().name)
        return (f"| {label} | {seconds:.1f} | {' / '.join(map(str, by_gen))} | {total:.1f} | {longest:.1f} | "
                f"{off_gui} | {', '.join(threads) or '-'} |")


def run_model(window, images: list[Path], guard: GarbageCollectionGuard) -> str:  # noqa: ANN001 - MainWindow
    """Every image through the model again (cache or not) while the view switches to the next
    image every 0.2 s, collections logged; the guard on or off."""
    ctl, session = window.analysis, window.session
    log = CollectionLog()
    last = [time.perf_counter()]

    def done_switching() -> bool:
        if time.perf_counter() - last[0] > 0.2:
            session.set_current((session.current_index + 1) % len(session))
            last[0] = time.perf_counter()
        return not ctl._runs

    gc.collect()
    gc.callbacks.append(log)
    t = time.perf_counter()
    try:
        jobs = [Job(p) for p in images]
        request = ctl.worker.predict(jobs, ctl.model.model_id, ctl.settings.tau, ctl._preparer())
        ctl._runs.add(request)
        assert wait_until(done_switching), ctl.errors
        wait_until(lambda: False, 1.5)  # a tick or so after the last result
    finally:
        gc.callbacks.remove(log)
    label = f"guard, {guard.interval_ms} ms timer" if guard.active else "automatic (CPython)"
    return log.row(label, time.perf_counter() - t)


def main() -> int:
    def more(parser):  # noqa: ANN001, ANN202 - argparse.ArgumentParser
        parser.add_argument("--rounds", type=int, default=2)

    args = parse_args(__doc__.splitlines()[0], more)
    app = create_app(["bench"])
    guard = install_gc_guard(app)  # create_app's own
    print(f"Python {sys.version.split()[0]}, thresholds {gc.get_threshold()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}\n")
    print("| heap | objects tracked (gen 0 / 1 / 2) | gen 2 (full) ms | gen 1 ms, 7 000 young | "
          "gen 0 ms, 700 young |")
    print("|---|---|---|---|---|")
    print("\n".join(heap_rows("QApplication, app imported", args.repeats)))
    images = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))
    with tempfile.TemporaryDirectory(prefix="fosp-bench-gc-") as tmp:
        window = analysis_window(Path(tmp), args.checkpoint or find_model(), args.input_size, images)
        ctl = window.analysis
        ctl.run_all()
        assert wait_until(lambda: not ctl._runs and not ctl.planning.pending), ctl.errors  # (it plans first)
        label = f"window, model loaded and run on {len(images)} demo photos"
        print("\n".join(heap_rows(label, args.repeats)))
        print(f"\nThe model on the {len(images)} photos again, the view switching photos every 0.2 s: "
              "collections meanwhile (alternating):\n")
        print("| collection | s | count gen 0 / 1 / 2 | total ms | longest ms | off the GUI thread | "
              "threads |")
        print("|---|---|---|---|---|---|---|")
        for _ in range(args.rounds):  # alternating: the machine's load changes under both
            for guarded in (False, True):
                guard.start() if guarded else guard.stop()
                print(run_model(window, images, guard))
        guard.start()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
