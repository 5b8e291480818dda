"""How long opening Analysis ▸ Fine-tune on a Dataset… holds the GUI thread in a fresh app (no model
loaded, torch not imported yet), and whether torch was imported on the GUI thread while it opened.

Each row is a fresh process (offscreen): a MainWindow is built, then `window.training.open_dialog()`
is timed. `--src DIR` runs another checkout (e.g. a `git worktree` of the commit before) for a
before / after table; interleave the two, the machine is shared.

    python bench/bench_finetune_dialog_open.py --runs 3 [--src /tmp/old-checkout]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, tempfile, threading, time
from pathlib import Path
from PySide6.QtCore import QSettings
from app.main import create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
app = create_app([])
imports = []
class Watch:
    def find_spec(self, name, path, target=None):
        if name == "torch":
            imports.append(threading.current_thread().name)
        return None
sys.meta_path.insert(0, Watch())
tmp = tempfile.mkdtemp()
window = MainWindow(Services(settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat),
                            error_reporter=CollectingErrorReporter()))
torch_before = "torch" in sys.modules
t0 = time.perf_counter()
window.training.open_dialog()
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"open_ms": ms, "torch_before": torch_before,
                  "gui_thread_imported_torch": threading.current_thread().name in imports}))
"""


def run(src: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=src, env=env, capture_output=True, text=True,
                         timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, help="another checkout, run interleaved with this one ('before')")
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    sources = [("before", args.src)] if args.src else []
    sources.append(("this", here))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'checkout':<8} {'run':>3} {'open_ms':>8} {'torch_before':>12} {'gui_imported_torch':>18}")
    for i in range(args.runs):
        for name, src in sources:
            r = run(src)
            print(f"{name:<8} {i + 1:>3} {r['open_ms']:>8.0f} {r['torch_before']!s:>12} "
                  f"{r['gui_thread_imported_torch']!s:>18}")


if __name__ == "__main__":
    main()
