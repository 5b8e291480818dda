"""The whole SMOKE5K training set (1053 real + 4000 synthetic photos) as one project, measured.

    python bench/bench_scale_smoke5k.py [DATASET] [--steps 500] [--profile STAGE]

DATASET defaults to ``../shared/data/smoke5k-train`` (``img/`` + ``gt/``). Nothing is written beside it:
HOME, XDG_CACHE_HOME and FOSP_CONFIG point at a temporary folder, so a read-only dataset's project is
the cache project there (`fosp_core.annotation.project_files.default_location`). The window is real
(offscreen, 1280x800, no model). Prints a markdown table, one row per stage:

- first opening of the dataset in the window / reopening it in a new window (project there): until
  the first image's annotation document is ready;
- the worklist's refresh (after every stroke, review, image change), median of 5;
- the image list's name filter: a word, a wildcard, cleared (median of 5 each), the list laid out;
- Next Image: to first paint (the photo on the canvas) and to full resolution (the photo and its
  annotation document, i.e. its mask, ready), median and p90 over ``--steps`` steps, then the
  process's RSS;
- a brush stroke's commit (mouse release on the canvas, undo step and autosave queued) / with its
  background save done, median of 5;
- Annotate > Import Labels of the dataset's own 5053 masks (on a worker, until the documents reload);
- the Export dialog's export of all images (its worker's run, keeping the dataset's splits);
- ``fosp project init`` on the dataset (a fresh cache) and ``fosp project export`` of the labelled
  project, each a whole process.

``--profile STAGE`` (steps, stroke, refresh) prints cProfile's top 25 (cumulative) for that stage.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-scale-"))
for _name, _sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
    os.environ[_name] = str(SCRATCH / _sub)
    (SCRATCH / _sub).mkdir()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "data" / "smoke5k-train"
Row = tuple[str, str]


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"{1000 * statistics.median(values):.1f} ms (p90 {1000 * p90:.1f})"


class Gui:
    """An offscreen window and ways to wait on it."""

    def __init__(self) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from app.main_window import MainWindow
        from app.services import CollectingErrorReporter, Services

        self.app = QApplication.instance() or QApplication([])
        settings = QSettings(str(SCRATCH / f"bench-{time.monotonic_ns()}.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
        self.window.resize(1280, 800)
        self.window.show()

    def wait(self, done: Callable[[], bool], limit_s: float = 600.0) -> None:
        end = time.perf_counter() + limit_s
        while not done():
            self.app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError("gave up waiting")
            time.sleep(0.0005)

    def ready(self) -> bool:
        w = self.window
        c = w.annotation.controller
        return (not w.opener.running and w.session.current_image is not None and c.document is not None
                and c.image_path == w.session.current_path)

    def open(self, folder: Path) -> float:
        start = time.perf_counter()
        self.window.open_paths([folder], remember=False)
        self.wait(self.ready)
        return time.perf_counter() - start

    def close(self) -> None:
        self.window.close()
        self.app.processEvents()


def stage_steps(gui: Gui, steps: int) -> list[Row]:
    w = gui.window
    shown: list[float] = []
    full: list[float] = []
    rss_before = rss_mib()
    for _ in range(steps):
        before = w.session.current_path
        start = time.perf_counter()
        w.session.next()
        target = w.session.current_path
        if target == before:
            w.session.set_current(0)
            target = w.session.current_path
        gui.wait(lambda target=target: w.session.current_image is not None and w.session.current_image.path == target)
        gui.app.processEvents()  # the canvas' update
        shown.append(time.perf_counter() - start)
        gui.wait(gui.ready)
        full.append(time.perf_counter() - start)
    return [(f"Next Image, to first paint ({steps} steps)", ms(shown)),
            ("Next Image, to full resolution (photo + mask document)", ms(full)),
            (f"RSS after {steps} steps", f"{rss_mib():.0f} MiB (before them {rss_before:.0f} MiB)")]


def stage_unreviewed(gui: Gui, steps: int) -> list[Row]:
    """Next Unreviewed (N): the worklist's order, the next image not reviewed in it."""
    w = gui.window
    times = []
    for _ in range(steps):
        doc = w.annotation.controller.document
        start = time.perf_counter()
        w.annotation.worklist.step_unreviewed(+1)
        times.append(time.perf_counter() - start)
        gui.wait(lambda doc=doc: gui.ready() and w.annotation.controller.document is not doc)
    return [(f"Next Unreviewed (N), the GUI thread's call ({steps} steps)", ms(times))]


def stage_refresh(gui: Gui) -> list[Row]:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        gui.window.annotation.worklist.refresh()
        times.append(time.perf_counter() - start)
    return [("worklist refresh", ms(times))]


def stage_filter(gui: Gui) -> list[Row]:
    w = gui.window
    rows: list[Row] = []
    for label, pattern in (("a word", "1528"), ("a wildcard", "*_1*"), ("cleared", "")):
        times = []
        for _ in range(5):
            w.session.set_filter("zz" if pattern == "" else "")
            gui.app.processEvents()
            start = time.perf_counter()
            w.session.set_filter(pattern)
            gui.app.processEvents()
            times.append(time.perf_counter() - start)
        shown = len(w.session.visible_indices())
        rows.append((f"image list filter: {label} ({shown} listed)", ms(times)))
    return rows


def stage_stroke(gui: Gui) -> list[Row]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.gui.annotation_helpers import settle_saves, viewport_pos

    w = gui.window
    viewport = w.canvas.viewport()
    QTest.keyClick(w.canvas, Qt.Key.Key_B)  # the brush
    commits, saved = [], []
    for i in range(5):
        doc = w.annotation.controller.document
        revision = doc.revision
        points = [viewport_pos(w, 100 + 20 * k, 100 + 30 * i) for k in range(8)]
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for pos in points[1:]:
            QTest.mouseMove(viewport, pos)
        start = time.perf_counter()
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
        commits.append(time.perf_counter() - start)
        gui.app.processEvents()  # the refresh it asked for
        settle_saves(w)
        saved.append(time.perf_counter() - start)
        if doc.revision == revision:
            raise RuntimeError("the stroke changed nothing")
    return [("brush stroke: commit (release)", ms(commits)), ("brush stroke: with its save and refresh", ms(saved))]


def stage_import(gui: Gui) -> list[Row]:
    start = time.perf_counter()
    count = gui.window.annotation.import_labels(None)
    gui.wait(gui.ready)
    return [(f"Import Labels ({count} masks)", f"{time.perf_counter() - start:.1f} s")]


def stage_export(gui: Gui, dst: Path) -> list[Row]:
    from app.annotation.export_worker import ExportOptions, ExportWorker

    worker = ExportWorker(gui.window.annotation.worklist.project, ExportOptions(dst=dst))
    got: list[object] = []
    for signal in (worker.signals.finished, worker.signals.failed, worker.signals.cancelled):
        signal.connect(got.append)
    start = time.perf_counter()
    worker.start()
    gui.wait(lambda: bool(got))
    took = time.perf_counter() - start
    count = getattr(got[0], "count", got[0])
    return [(f"export all ({count} images)", f"{took:.1f} s")]


def fosp(*args: str, cache: Path) -> float:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("fosp")), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def profiled(name: str, wanted: str | None, run: Callable[[], list[Row]]) -> list[Row]:
    if wanted != name:
        return run()
    import cProfile
    import pstats

    profile = cProfile.Profile()
    rows = profile.runcall(run)
    if os.environ.get("BENCH_PROFILE_OUT"):
        profile.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    pstats.Stats(profile, stream=sys.stderr).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--profile", choices=("steps", "stroke", "refresh", "open", "import"))
    parser.add_argument("--no-export", action="store_true", help="skip the exports (minutes)")
    args = parser.parse_args(argv)
    if not (args.dataset / "img").is_dir():
        print(f"{args.dataset}: no SMOKE5K dataset here (img/ + gt/)", file=sys.stderr)
        return 2
    rows: list[Row] = []
    gui = Gui()
    rows += profiled("open", args.profile, lambda: [("first opening (project made)", f"{gui.open(args.dataset):.2f} s")])
    rows += profiled("refresh", args.profile, lambda: stage_refresh(gui))
    rows += stage_filter(gui)
    rows += profiled("steps", args.profile, lambda: stage_steps(gui, args.steps))
    rows += stage_unreviewed(gui, 50)
    rows += profiled("stroke", args.profile, lambda: stage_stroke(gui))
    rows += profiled("import", args.profile, lambda: stage_import(gui))
    if not args.no_export:
        rows += stage_export(gui, SCRATCH / "export-app")
    gui.close()
    again = Gui()
    rows.append(("reopening (project there, labels imported)", f"{again.open(args.dataset):.2f} s"))
    again.close()
    rows.append(("`fosp project init` (fresh cache)",
                 f"{fosp('project', 'init', str(args.dataset), cache=SCRATCH / 'cache-init'):.2f} s"))
    if not args.no_export:
        took = fosp("project", "export", str(args.dataset), str(SCRATCH / "export-cli"), cache=SCRATCH / "cache")
        rows.append(("`fosp project export` (labelled project)", f"{took:.1f} s"))
    print(f"SMOKE5K {args.dataset}: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}\n")
    print("| stage | time |\n|---|---|")
    for stage, value in rows:
        print(f"| {stage} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
