"""App start: how long until the window module is imported, the window is on screen, and the default
model is ready; and whether torch was imported on the GUI thread.

    python bench/bench_app_start.py [--repeats 5] [--tree DIR ...]

Each run is a fresh ``python -c`` process (cwd = the source tree, so `app` and `fosp_core` come from
it) that does what ``python main.py`` does, offscreen, with throw-away settings and projects folder:
``import app.main``, ``create_app``, ``MainWindow(services)`` with the bundled default model,
``show()``, ``open_paths([demo folder])``. Times are from the start of the script (after the
interpreter's own start-up, the same for every tree):

* import: ``import app.main`` done (the window module and all it imports);
* shown: the window's first paint event (show() called, the demo folder being opened);
* image: the first demo image decoded and current;
* model ready: the default model loaded (``AnalysisController.model_changed``);
* GUI gap: the longest gap between 5 ms timer ticks of the GUI event loop from shown to model ready
  (what a user feels while the model loads on the inference thread).

`--tree` names source trees to compare (e.g. a ``git worktree`` of the commit before a change and one
of after); runs alternate between them (interleaved), the first run of each is thrown away (disk
cache). Prints a markdown table (median and min of --repeats) and the load average before and after.
Results: docs/benchmarks-gui.md ("App start").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The child: argv[1] = a temporary folder. Prints one JSON line of times (seconds from its start).
_CHILD = r"""
import json, sys, threading, time, importlib.abc
t0 = time.perf_counter()
on_gui = []
class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "torch" and not on_gui:
            on_gui.append(threading.current_thread() is threading.main_thread())
        return None
sys.meta_path.insert(0, Spy())
from pathlib import Path
import app.main
t_import = time.perf_counter() - t0
from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QSettings, QTimer
from app.main import create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from fosp_core.paths import DEMO_DIR, find_model
tmp = Path(sys.argv[1])
times = {"import": t_import}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "shown" not in times:
            times["shown"] = time.perf_counter() - t0
        return False
app = create_app([sys.argv[0]])
window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                             error_reporter=CollectingErrorReporter(), default_model=find_model()))
window.annotation.controller.registry.projects_root = tmp / "projects"
ctl = window.analysis
ctl.model_changed.connect(lambda: times.setdefault("model", time.perf_counter() - t0))
paint = FirstPaint()
window.installEventFilter(paint)
window.show()
window.open_paths([DEMO_DIR], remember=False)
gaps, clock = [], QElapsedTimer()
clock.start()
def tick():
    gaps.append(clock.restart())
ticker = QTimer(interval=5, timeout=tick)
ticker.start()
deadline = time.perf_counter() + 180
while ("model" not in times or "image" not in times) and time.perf_counter() < deadline:
    if "image" not in times and window.session.current_image is not None:
        times["image"] = time.perf_counter() - t0
    loop = QEventLoop()
    QTimer.singleShot(5, loop.quit)
    loop.exec()
ticker.stop()
times["gap_ms"] = max(gaps[1:] or [0])
times["torch_on_gui"] = bool(on_gui and on_gui[0])
print("TIMES", json.dumps(times), flush=True)
window.close()
"""

_ROWS = (("import", "import app.main (s)"), ("shown", "first paint of the window (s)"),
         ("image", "first demo image current (s)"), ("model", "default model ready (s)"),
         ("gap_ms", "longest GUI gap, shown → model ready (ms)"))


def run_once(tree: Path) -> dict[str, float]:
    """One start of the app from source tree `tree`; its times."""
    with tempfile.TemporaryDirectory(prefix="bench-app-start-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(tree)}
        done = subprocess.run([sys.executable, "-c", _CHILD, tmp], cwd=tree, env=env, capture_output=True,
                              text=True, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("TIMES ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{tree}: {done.stderr[-2000:]}")
    return json.loads(lines[-1][len("TIMES "):])


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", help="source tree (default: this checkout)")
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    load_before = os.getloadavg()
    for tree in trees:  # warm the disk cache
        run_once(tree)
    runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(args.repeats):
        for tree in trees:
            runs[tree].append(run_once(tree))
    load_after = os.getloadavg()
    names = [tree.name for tree in trees]
    print(f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} (1 min), "
          f"{os.cpu_count()} CPUs, {args.repeats} runs per tree, interleaved; median (min)\n")
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(trees))
    for key, label in _ROWS:
        cells = []
        for tree in trees:
            values = [r[key] for r in runs[tree]]
            fmt = "{:.0f}" if key == "gap_ms" else "{:.2f}"
            cells.append(f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    on_gui = [f"{sum(r['torch_on_gui'] for r in runs[tree])}/{len(runs[tree])}" for tree in trees]
    print("| torch imported on the GUI thread (runs) | " + " | ".join(on_gui) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
