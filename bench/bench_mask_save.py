"""Benchmark: the GUI thread's time per stroke release (undo step + autosave), mask saved in the
commit (before: PNG encode + fsync + journal line) or in the background (now: recovery-log record
fsynced, PNG on the project's worker; `Project.save_in_background`), at 512x512 and 4000x3000.

Each sample is one brush stroke (radius 12, 8 points) committed into a project in a temporary
folder: "local" strokes stay in a 400x300 px box (the record keeps the stroke's bounding box),
"across" strokes run corner to corner (the record is the whole mask: the worst case); in background mode the worker's save is waited for between samples (outside the timing),
so a release meets an idle worker. Modes are interleaved sample by sample (the machine is shared).
Prints a table (milliseconds, median and 95th percentile).

    python bench/bench_mask_save.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from fosp_core.annotation import tools  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402


def _project(root: Path, shape: tuple[int, int], background: bool) -> Project:
    folder = root / f"{shape[0]}x{shape[1]}-{'bg' if background else 'sync'}"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), np.full((*shape, 3), 90, np.uint8))
    project = Project.open(folder)
    project.save_in_background = background
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'image':<11}{'stroke':<8}{'save':<30}{'median ms':>10}{'p95 ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape, stroke in (((512, 512), "local"), ((3000, 4000), "local"), ((3000, 4000), "across")):
            root = Path(tmp) / stroke
            root.mkdir(exist_ok=True)
            projects = {mode: _project(root, shape, mode) for mode in (False, True)}
            docs = {mode: p.open_document(p.ids[0]) for mode, p in projects.items()}
            samples: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(args.repeat):
                h, w = shape
                x0, y0 = rng.uniform((20, 20), (max(w - 420, 21), max(h - 320, 21)))
                box = (400, 300) if stroke == "local" else (w - 40 - x0, h - 40 - y0)
                points = [(float(x0 + box[0] * t), float(y0 + box[1] * t)) for t in np.linspace(0, 1, 8)]
                for mode in (False, True):
                    start = time.perf_counter()
                    tools.brush(docs[mode], points, 12)  # the stroke's edit is < 1 ms; its commit is the rest
                    samples[mode].append(time.perf_counter() - start)
                    projects[mode].finish_saves(wait=True)
            for mode, name in ((False, "in the commit (PNG, before)"), (True, "background (log, now)")):
                ordered = sorted(samples[mode])
                med, p95 = statistics.median(ordered) * 1e3, ordered[int(0.95 * (len(ordered) - 1))] * 1e3
                print(f"{f'{h}x{w}':<11}{stroke:<8}{name:<30}{med:>10.1f}{p95:>10.1f}")
            for project in projects.values():
                project.close()
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
