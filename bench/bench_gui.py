"""GUI responsiveness of the analysis view, measured offscreen on a real MainWindow.

    python bench/bench_gui.py [--checkpoint FILE] [--input-size 512] [--repeats 30]
    python bench/bench_gui.py --ab 3    # a result's worklist summary, before/after, interleaved

Measures, on two 1920×1080 images made from a bundled demo photo:

1. the longest gap between 5 ms timer ticks of the GUI event loop while the model runs
   (target: never more than 50 ms);
2. toggling a layer and dragging a layer's opacity, each followed by a synchronous repaint of the
   canvas (target: under 16 ms);
3. switching to an image whose result is cached: from ``session.set_current`` until the image
   and all its visible layers are on screen (decode on the loader thread included; target < 100 ms).

Without --checkpoint a randomly initialised fosp-s is used (speed does not depend on the weights).
Prints a markdown table (copied into docs/benchmarks-gui.md).

--ab ROUNDS measures instead the event-loop gaps while the model runs on the four demo photos and
their labels at 1920×1080 (Run on This Image on each in turn, then Run on All), with the part
named by --part made on the inference thread (after) and on the GUI thread (before), the two
alternating in one process, ROUNDS times each: p50/p99/max of all gaps, the gap of each result's
turn and of the turn after it (the repaint), the time of the view's and of the worklist's
(annotation) result slots in that turn and of the worklist's journal line in it, and the model's
time per image on the worker (without and with what it makes of the result). --part worklist (the
default): the worklist summary of each result (label decode, the pass over the map:
:mod:`app.annotation.worklist_summaries`); --part layers: the view's label read, scores and layer
arrays (:mod:`app.analysis.prepared`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from gui_window import analysis_window, labelled_demo_images, parse_args, wait_until  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402

from app.main import create_app  # noqa: E402
from fosp_core.paths import DEMO_DIR  # noqa: E402


def make_images(folder: Path) -> list[Path]:
    demo = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[:2]
    out = []
    for i, src in enumerate(demo):
        path = folder / f"hd-{i}.jpg"
        Image.open(src).convert("RGB").resize((1920, 1080)).save(path, quality=92)
        out.append(path)
    return out


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} | {max(values):.1f}"


def ticks_while(window, start) -> np.ndarray:  # noqa: ANN001 - MainWindow, () -> int | None
    """The times (perf_counter, ms) of 5 ms timer ticks from `start()` until the view's runs are
    over and 0.15 s after (the repaint of the last result)."""
    ctl, ticks = window.analysis, []
    ticker = QTimer(interval=5, timeout=lambda: ticks.append(time.perf_counter() * 1000))
    ticker.start()
    start()
    assert wait_until(lambda: not ctl._runs and not ctl.planning.pending), ctl.errors  # (Run on all plans first)
    wait_until(lambda: False, 0.15)
    ticker.stop()
    return np.asarray(ticks)


def result_turns(ticks: np.ndarray, at: list[float]) -> tuple[list[float], list[float]]:
    """(the gap between ticks around each time in `at`, the gap after it: the repaint)."""
    gaps, after = [], []
    for t in at:
        i = int(np.searchsorted(ticks, t))
        if 0 < i < len(ticks) - 1:
            gaps.append(float(ticks[i] - ticks[i - 1]))
            after.append(float(ticks[i + 1] - ticks[i]))
    return gaps, after


def ab(args, tmp_path: Path) -> None:  # noqa: ANN001 - argparse.Namespace
    """See --ab in the module docstring."""
    images = labelled_demo_images(tmp_path / "demo-hd")
    window = analysis_window(tmp_path, args.checkpoint, args.input_size, images)
    ctl, engine = window.analysis, window.analysis.worker._engine
    times: dict[str, list[float]] = {"model": [], "worker": [], "result": [], "result_at": [], "worklist": [], "journal": []}

    def timing(fn, name):  # noqa: ANN001, ANN202
        def timed(*a, **k):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            if f"{name}_at" in times:
                times[f"{name}_at"].append(t * 1000)
            try:
                return fn(*a, **k)
            finally:
                times[name].append((time.perf_counter() - t) * 1000)
        return timed

    engine.predictor.predict = timing(engine.predictor.predict, "model")
    engine._predict_one = timing(engine._predict_one, "worker")  # + layer arrays (after) + hand-off
    ctl.worker.result.disconnect(ctl._on_result)  # the view's own handling of each result, timed
    ctl.worker.result.connect(timing(ctl._on_result, "result"))
    summaries = window.worklist_summaries  # the worklist's summary of each result
    ctl.worker.result.disconnect(summaries.on_result)
    ctl.worker.result.connect(timing(summaries.on_result, "worklist"))
    followers = list(ctl.worker._followers)
    from fosp_core.annotation.project import Project

    record_state = Project.record_state
    Project.record_state = timing(record_state, "journal")  # the journal line (fsync) of each summary
    results = {mode: {"gaps": [], "turn": [], "repaint": [], "model": [], "worker": [], "result": [], "worklist": [],
                      "journal": [], "rounds": []}
               for mode in ("before", "after")}
    load = os.getloadavg()
    for round_ in range(args.ab):
        for mode in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
            on_gui = mode == "before"
            if on_gui and args.part == "layers":
                ctl._preparer = lambda: None  # the GUI thread makes every layer array, as before
            else:
                ctl.__dict__.pop("_preparer", None)
            # before: no follower, so the GUI thread summarises each result (commands.record_prediction)
            ctl.worker._followers[:] = [] if on_gui and args.part == "worklist" else followers
            for kept in times.values():
                kept.clear()
            runs = [(i, ctl.run_current) for i in range(len(images))]  # Run on This Image, on each in turn
            for i, start in [*runs, (None, ctl.run_all)]:  # then Run on All
                ctl.cache.clear()
                ctl.scores.book.clear()
                if i is not None:
                    window.session.set_current(i)
                    assert wait_until(lambda i=i: window.session.current_image is not None
                                      and Path(window.session.current_image.path).name == images[i].name)
                times["result_at"].clear()
                ticks = ticks_while(window, start)
                results[mode]["gaps"] += list(np.diff(ticks))
                turn, repaint = result_turns(ticks, times["result_at"])
                results[mode]["turn"] += turn
                results[mode]["repaint"] += repaint
            for name in ("model", "worker", "result", "worklist", "journal"):
                results[mode][name] += times[name]
            results[mode]["rounds"].append(statistics.median(times["model"]))
    window.close()
    Project.record_state = record_state
    what = "label, scores, layer arrays" if args.part == "layers" else "worklist summary"
    print(f"device: CPU, {os.cpu_count()} cores, torch threads {__import__('torch').get_num_threads()}; "
          f"input {args.input_size}; 4 demo photos + labels at 1920×1080; {args.ab} rounds, before/after "
          f"alternating; load average {load[0]:.1f} → {os.getloadavg()[0]:.1f}\n")
    print(f"| {what} made on | gaps | gap p50 ms | p99 ms | max ms | gap of the result's "
          "turn, median / max ms | the next (repaint) | view's result slot median / max ms | worklist summary slot "
          "(annotation) | its journal line | model ms/image | worker ms/image |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode, r in results.items():
        gaps = np.asarray(r["gaps"])
        journal = f"{statistics.median(r['journal']):.1f} / {max(r['journal']):.1f}" if r["journal"] else "–"
        print(f"| {'GUI thread (before)' if mode == 'before' else 'inference thread (after)'} | {gaps.size} | "
              f"{np.percentile(gaps, 50):.1f} | {np.percentile(gaps, 99):.1f} | {gaps.max():.1f} | "
              f"{statistics.median(r['turn']):.1f} / {max(r['turn']):.1f} | "
              f"{statistics.median(r['repaint']):.1f} / {max(r['repaint']):.1f} | "
              f"{statistics.median(r['result']):.1f} / {max(r['result']):.1f} | "
              f"{statistics.median(r['worklist']):.1f} / {max(r['worklist']):.1f} | {journal} | "
              f"{statistics.median(r['model']):.0f} | {statistics.median(r['worker']):.0f} |")
    for mode, r in results.items():
        print(f"\nmodel ms/image by round, {mode}: {' '.join(f'{v:.0f}' for v in r['rounds'])}", end="")
    print()


def main() -> int:
    def more(parser):  # noqa: ANN001, ANN202 - argparse.ArgumentParser
        parser.add_argument("--ab", type=int, default=0, metavar="ROUNDS")
        parser.add_argument("--part", choices=("worklist", "layers"), default="worklist")

    args = parse_args(__doc__.splitlines()[0], more)
    _app = create_app()  # keep the QApplication alive
    if args.ab:
        with tempfile.TemporaryDirectory(prefix="fosp-bench-gui-") as tmp:
            ab(args, Path(tmp))
        return 0
    with tempfile.TemporaryDirectory(prefix="fosp-bench-gui-") as tmp:
        tmp_path = Path(tmp)
        images = make_images(tmp_path)
        window = analysis_window(tmp_path, args.checkpoint, args.input_size, images)
        ctl = window.analysis

        # 1. event-loop stalls while the model runs (both images, one after the other)
        ticks: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        ticker = QTimer(interval=5, timeout=lambda: ticks.append(clock.nsecsElapsed() / 1e6))
        ticker.start()
        t0 = time.perf_counter()
        ctl.run_all()
        assert wait_until(lambda: not ctl._runs and not ctl.planning.pending), ctl.errors  # (it plans first)
        run_s = time.perf_counter() - t0
        ticker.stop()
        gaps = np.diff(ticks)
        stall = float(gaps.max()) if gaps.size else float("nan")

        # 2. toggling a layer / dragging opacity, each with a synchronous repaint
        for name in ("probability", "prediction mask", "focus map"):
            ctl.layers.set_visible(name, True)
        viewport = window.canvas.viewport()
        viewport.repaint()
        toggles, drags = [], []
        for i in range(args.repeats):
            t = time.perf_counter()
            ctl.layers.toggle("prediction mask")
            viewport.repaint()
            toggles.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ctl.layers.set_opacity("probability", 0.2 + 0.6 * (i % 10) / 10)
            viewport.repaint()
            drags.append((time.perf_counter() - t) * 1000)

        # 3. switching between two images with cached results
        switches = []
        for _ in range(max(4, args.repeats // 3)):
            target = (window.session.current_index + 1) % 2
            t = time.perf_counter()
            window.session.set_current(target)
            assert wait_until(lambda: window.session.current_image is not None and ctl.prediction is not None
                              and ctl.prediction.shape == window.session.current_image.rgb.shape[:2])
            viewport.repaint()
            switches.append((time.perf_counter() - t) * 1000)
        calls = ctl.worker.calls
        window.close()

    print(f"device: CPU, {os.cpu_count()} cores, torch threads {__import__('torch').get_num_threads()}; "
          f"input {args.input_size}; image 1920×1080; {'random fosp-s' if args.checkpoint is None else args.checkpoint}")
    print(f"model ran {calls}× in {run_s:.2f} s while the GUI loop was timed\n")
    print("| measurement | median ms | max ms | target |")
    print("|---|---|---|---|")
    print(f"| longest GUI event-loop gap while the model runs | – | {stall:.1f} | < 50 ms |")
    print(f"| toggle a layer + repaint (1920×1080) | {stats(toggles)} | < 16 ms |")
    print(f"| drag opacity + repaint (1920×1080) | {stats(drags)} | < 16 ms |")
    print(f"| switch to a cached image (decode + layers + repaint) | {stats(switches)} | < 100 ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
