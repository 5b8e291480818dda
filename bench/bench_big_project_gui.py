"""The GUI thread's work in a 30 000-image project: opening it, opening it again, changing the worklist's
Show and Sort, stepping through images, saving.

    python bench/bench_big_project_gui.py [--images 30000] [--repeats 2] [--before TREE]
    python bench/bench_big_project_gui.py --dots-ab [--images 30000] [--repeats 20]

A SmokeSeg dataset of --images tiny JPEGs (16x16, every other one with a mask; made once under
$FOSP_BENCH_ROOT, default /tmp/fosp-bench-big-project-gui, with `bench_dataset_reopen.build_dataset`) is
opened in a window (offscreen; its project made afresh in a scratch folder, HOME and the caches pointed
there), then: opened again (nothing new), the worklist's Show set to 'Not reviewed' and back and its Sort
to 'Model uncertainty' and back, Next Image three times, R (Mark Reviewed: a save) and a background
rewrite of ``project.json``; then (session 35) the worklist given room (its dock 600 px high, ~20 rows shown)
and: its rows painted anew 10 times (as after each stroke: `viewport().repaint()`), and Sort changed 4 times
with the current row in the middle of the list (each a model reset and `scrollTo` that row).

Each run is a child process importing the code of a tree: "after" is this checkout; "before" is --before,
a copy of the code before session 34's scale work (made by the caller, e.g. ``git archive`` of this tree
with fosp_core/session.py, fosp_core/annotation/compaction_rows.py, project_compaction.py,
app/annotation/projects.py and app/annotation/worklist_panel.py taken from 6cf0dd5e). Without --before
only "after" is measured.

--dots-ab: in one process, a worklist view 800 px high on --images rows painted 10 times, its status dots
alternately qtawesome's Font Awesome circle (as before session 35: the glyph drawn at each row's paint) and
`worklist_model.dot_icon`'s pixmaps; prints the median milliseconds a paint of each (min-max).

Prints a markdown table: per step, the GUI thread's time in the calls named (perf_counter around them, on
the GUI thread only): ``Opener._apply`` (the open applied, `ImageSession.add` in it),
``compaction_rows.snapshot`` (every entry's values captured), ``WorklistPanel.refresh``, the worklist view's
``scrollTo`` (called by the refresh: a reset's rows laid out) and its ``paintEvent`` (the rows painted, their
status dots drawn), the Images list's ``scrollTo`` (after its model's reset on an open); and the longest
gap between two beats of a 3 ms timer on the GUI thread, from the step's start until its work and
what it left for the event loop ended (it counts the GUI thread's waits for a CPU, and for the GIL
while a worker runs Python, on a loaded machine: the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT_TMP = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/fosp-bench-big-project-gui"))
TIMED = ("apply", "add", "snapshot", "refresh", "scrollTo", "paint", "images_scrollTo")
HEADS = ("Opener._apply", "ImageSession.add", "compaction_rows.snapshot", "WorklistPanel.refresh",
         "worklist scrollTo", "worklist paintEvent", "Images list scrollTo")


def child(tree: Path, images: int) -> dict[str, dict[str, float]]:
    """One window on the dataset, in this process (its imports from `tree`)."""
    sys.path.insert(0, str(tree))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
        os.environ[var] = os.fspath(ROOT_TMP / sub)
    import tempfile

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDockWidget

    import fosp_core
    from app.annotation import worklist_panel
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from fosp_core import session as session_module
    from fosp_core.annotation import compaction_rows

    assert Path(fosp_core.__file__).resolve().is_relative_to(tree.resolve()), fosp_core.__file__
    sys.path.insert(0, str(HERE))
    os.environ["FOSP_BENCH_ROOT"] = str(ROOT_TMP)
    import bench_dataset_reopen

    bench_dataset_reopen.ROOT_TMP = ROOT_TMP
    dataset = bench_dataset_reopen.build_dataset(images)
    app = QApplication.instance() or QApplication([])
    scratch = Path(tempfile.mkdtemp(dir=ROOT_TMP))
    settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    controller = window.annotation.controller
    controller.registry.projects_root = scratch / "projects"
    window.resize(1280, 800)
    window.show()
    spent = dict.fromkeys(TIMED, 0.0)

    def timed(name: str, real):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if threading.current_thread() is not threading.main_thread():
                return real(*args, **kwargs)
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    window.opener._apply = timed("apply", window.opener._apply)  # noqa: SLF001
    session_module.ImageSession.add = timed("add", session_module.ImageSession.add)
    compaction_rows.snapshot = timed("snapshot", compaction_rows.snapshot)
    worklist_panel.WorklistPanel.refresh = timed("refresh", worklist_panel.WorklistPanel.refresh)
    view = window.annotation.worklist.list
    view.scrollTo = timed("scrollTo", view.scrollTo)  # the refresh's call (Python's): the reset's rows laid out
    view_class = type(view)
    view_class.paintEvent = timed("paint", view_class.paintEvent)  # Qt's call, through the Python override
    image_list = window.image_list  # the Images list: its scrollTo to the current image after its model's reset
    image_list.scrollTo = timed("images_scrollTo", image_list.scrollTo)

    beats = [time.perf_counter(), 0.0]  # the last turn of the event loop, the longest gap between two

    def beat() -> None:
        now = time.perf_counter()
        beats[1], beats[0] = max(beats[1], now - beats[0]), now

    heart = QTimer(interval=3, timerType=Qt.TimerType.PreciseTimer, timeout=beat)
    heart.start()

    def step(action) -> dict[str, float]:  # noqa: ANN001
        for name in spent:
            spent[name] = 0.0
        app.processEvents()
        start = beats[0] = time.perf_counter()
        beats[1] = 0.0
        action()
        for _ in range(40):  # what the step left for the event loop
            app.processEvents()
            time.sleep(0.003)
        while window.opener.busy:
            app.processEvents()
            time.sleep(0.003)
        beat()
        return {**spent, "gap": beats[1], "wall": time.perf_counter() - start}

    def open_dataset() -> None:
        window.open_paths([dataset], remember=False)  # a big open: on the worker, applied from the event loop

    panel = window.annotation.worklist

    def show_and_sort() -> None:
        for combo, index in ((panel.filter, 1), (panel.filter, 0), (panel.sort, 1), (panel.sort, 0)):
            combo.setCurrentIndex(index)
            app.processEvents()

    def next_images() -> None:
        for _ in range(3):
            window.session.next()
            for _ in range(20):
                app.processEvents()
                time.sleep(0.003)

    def review_and_rewrite() -> None:
        controller.toggle_reviewed()
        app.processEvents()
        project = controller.project
        project._start_rewrite()  # noqa: SLF001  (a rewrite falling due, as after JOURNAL_LIMIT saves)
        while project.compacting:
            app.processEvents()
            time.sleep(0.003)

    def worklist_room() -> None:
        dock = next(d for d in window.findChildren(QDockWidget) if d.isAncestorOf(panel))
        dock.show()
        dock.raise_()
        window.resizeDocks([dock], [600], Qt.Orientation.Vertical)
        app.processEvents()

    def paint_rows() -> None:
        for _ in range(10):
            panel.list.viewport().repaint()

    def sort_middle() -> None:
        panel.go_to(panel.model.rows[len(panel.model.rows) // 2].id)
        app.processEvents()
        for index in (1, 0, 1, 0):
            panel.sort.setCurrentIndex(index)
            app.processEvents()

    out = {}
    try:
        out["first open"] = step(open_dataset)
        out["open again"] = step(open_dataset)
        out["Show/Sort x4"] = step(show_and_sort)
        out["Next Image x3"] = step(next_images)
        out["R + rewrite"] = step(review_and_rewrite)
        worklist_room()
        out["worklist rows painted x10"] = step(paint_rows)
        out["worklist rows painted x10"]["rows"] = panel.list.viewport().height() / max(1, panel.list.sizeHintForRow(0))
        out["Sort x4, current row mid-list"] = step(sort_middle)
        assert len(window.session) == images, len(window.session)
    finally:
        heart.stop()
        window.close()
        app.processEvents()
    return out


def dots_ab(images: int, repeats: int) -> None:
    """See --dots-ab in the module doc."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import qtawesome as qta

    from app.annotation.worklist_model import WorklistModel, dot_icon, status_colors
    from app.annotation.worklist_view import WorklistView
    from app.theme import current_theme
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.entries import ImageEntry

    model, view = WorklistModel(), WorklistView()
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(260, 800)
    view.show()
    statuses = list(Status)
    model.set_rows([ImageEntry(f"img{i:06}", f"JPEGImages/img{i:06}.jpg", statuses[i % len(statuses)], None)
                    for i in range(images)], {}, None)
    for _ in range(5):
        app.processEvents()
    kinds = {"qtawesome glyph": {s: qta.icon("fa6s.circle", color=c) for s, c in status_colors().items()},
             "dot_icon pixmaps": {s: dot_icon(c) for s, c in status_colors().items()}}
    spent: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(repeats):
        for name, dots in kinds.items():
            model._icons[current_theme().name] = dots  # noqa: SLF001
            start = time.perf_counter()
            for _ in range(10):
                view.viewport().repaint()
            spent[name].append((time.perf_counter() - start) / 10 * 1000)
    rows = view.viewport().height() // max(1, view.sizeHintForRow(0))
    print(f"worklist of {images:,} rows, {rows} in view; ms a paint, median of {repeats} (min-max); "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, values in spent.items():
        print(f"{name}: {statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--before", type=Path, default=None, help="a tree of the code before (see the doc)")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--dots-ab", action="store_true", help="the worklist's status dots, before and now")
    args = parser.parse_args(argv)
    if args.dots_ab:
        dots_ab(args.images, 20 if args.repeats == 2 else args.repeats)
        return 0
    ROOT_TMP.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        print(json.dumps(child(args.child, args.images)))
        return 0
    trees = {"after": HERE.parent}
    if args.before is not None:
        trees = {"before": args.before, **trees}
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(args.repeats):
        for mode, tree in trees.items():
            done = subprocess.run([sys.executable, __file__, "--images", str(args.images), "--child", str(tree)],
                                  capture_output=True, text=True, check=False, cwd=tree)
            if done.returncode:  # what went wrong in the child, said
                sys.exit(f"the {mode} run failed ({done.returncode}):\n{done.stderr[-3000:]}")
            for scenario, got in json.loads(done.stdout.strip().splitlines()[-1]).items():
                results.setdefault((scenario, mode), []).append(got)
    print(f"{args.images:,}-image SmokeSeg dataset in the window; GUI-thread seconds, median of {args.repeats} "
          f"(min-max); load average {os.getloadavg()[0]:.1f}\n")
    print("| step | code | " + " | ".join(HEADS) + " | longest event-loop gap |")
    print("|---|---|" + "---|" * (len(HEADS) + 1))

    def cell(rows: list[dict[str, float]], key: str) -> str:
        values = [row[key] for row in rows]
        return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"

    scenarios = list(dict.fromkeys(scenario for scenario, _ in results))
    for scenario in scenarios:
        for mode in trees:
            rows = results[(scenario, mode)]
            print(f"| {scenario} | {mode} | " + " | ".join(cell(rows, key) for key in (*TIMED, "gap")) + " |")
    shown = [row["rows"] for (_scenario, _mode), rows in results.items() for row in rows if "rows" in row]
    print(f"\nworklist rows in view while painted: {min(shown):.0f}-{max(shown):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
