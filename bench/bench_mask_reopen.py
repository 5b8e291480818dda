"""Benchmark: reopening a huge photo's annotation document, its saved mask read on the GUI thread (as
before) or on a worker (`app.annotation.document_reader`): the GUI thread's longest turn and the
wall time until the document is there.

    python bench/bench_mask_reopen.py [--rounds 2] [--only ortho-12000x8000.jpg ...]

Each measurement runs in a fresh process (a 1600x1000 offscreen window, no model): the photo of
``bench/huge_photos.py`` is opened, its SMOKE5K label saved as its mask (and its document let go),
then `reload_documents` opens the image's document again from the files (what reopening the image
does): **GUI ms**, the longest the GUI thread did not return to the event loop (the call itself
counts whole), and **wall ms**, until the document with the saved mask is shown. "before" sets
`READ_ON_WORKER_PIXELS` above the photo's size (the files read where they are asked for, on the
GUI thread, as every image's were); before and after interleaved, median over rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
PHOTOS = Path("/tmp/fosp-huge")
NAMES = ("photo-8000x6000.jpg", "ortho-12000x8000.jpg")


def measure(name: str, variant: str) -> dict[str, float]:
    """One reopen of photo `name` in this process; `variant` "before" or "after"."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from huge_photos import write
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.annotation import document_reader
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    if variant == "before":
        document_reader.READ_ON_WORKER_PIXELS = 1 << 40
    path, label = write(PHOTOS, name)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="fosp-reopen-"))
    window = MainWindow(Services(settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
                                 error_reporter=CollectingErrorReporter()))
    controller = window.annotation.controller
    controller.registry.projects_root = tmp / "projects"
    window.resize(1600, 1000)
    window.show()

    def pump(until, timeout_s: float = 300.0) -> float:  # noqa: ANN001 - a predicate
        longest, end = 0.0, time.perf_counter() + timeout_s
        while time.perf_counter() < end:
            start = time.perf_counter()
            app.processEvents()
            longest = max(longest, (time.perf_counter() - start) * 1000)
            if until():
                return longest
            time.sleep(0.002)
        raise TimeoutError(name)

    window.open_paths([path], remember=False)
    pump(lambda: controller.document is not None)
    controller.project.save_mask(controller.document.image_id, label)
    start = time.perf_counter()
    controller.reload_documents()
    own = (time.perf_counter() - start) * 1000
    longest = pump(lambda: controller.document is not None)
    wall = (time.perf_counter() - start) * 1000
    assert np.array_equal(controller.document.mask, label), "reopened mask differs from the saved one"
    window.close()
    return {"gui": max(own, longest), "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=list(NAMES))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(args.rounds):
        for name in args.only:
            for variant in ("before", "after"):
                out = subprocess.run([sys.executable, __file__, "--child", name, variant], check=True,
                                     capture_output=True, text=True).stdout
                runs.setdefault((name, variant), []).append(json.loads(out.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds, median")
    print("| reopen | GUI ms | wall ms |")
    print("|---|---:|---:|")
    for (name, variant), rows in runs.items():
        print(f"| {name} {variant} | {statistics.median(r['gui'] for r in rows):.0f} | "
              f"{statistics.median(r['wall'] for r in rows):.0f} |")


if __name__ == "__main__":
    main()
