"""The save that falls due for the journal's compaction (the ``project.json`` rewrite every
`JOURNAL_LIMIT` journal lines): how long the saving thread - the GUI thread in the app - is held,
rewriting in the save (as before, and as scripts still do) or on a worker thread
(`Project.compact_in_background`, what the app does: a snapshot of the entries and a journal line).

    python bench/bench_compaction.py [--repeat 5] [--sizes 5053 100000]

A project of one 1024x768 photo plus N entries added in memory (like SMOKE5K's), a brush dot saved
per step with the journal full, so each timed save starts a rewrite. While the rewrite runs, the
saving thread waits on a 1 ms timer again and again, as an idle GUI thread's event loop does, and
the worst lateness of that timer is how long the rewrite kept the GIL from it (5 ms switch interval
or more when it never lets go). The first background rewrite after opening encodes every entry; the
later ones only those changed since (the median is of those). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from bench_annotation import grow_project  # noqa: E402 - a sibling script (bench/ is on sys.path)

from fosp_core.annotation import project as project_module
from fosp_core.annotation import tools
from fosp_core.annotation.project import Project


def _timer_lateness(project: Project) -> float:
    """Wait on a 1 ms timer until the running rewrite has ended; the worst lateness (s)."""
    worst = 0.0
    while project.compacting and not project._rewrite.done:  # type: ignore[union-attr]
        t0 = time.perf_counter()
        time.sleep(0.001)
        worst = max(worst, time.perf_counter() - t0 - 0.001)
    return worst


def _due_saves(images: Path, n: int, background: bool, repeat: int) -> tuple[float, ...]:
    """In ms: (median the saving thread is held by a save that starts a rewrite, median until the
    rewrite has ended counted from the save's start, the first rewrite's end, median worst lateness
    of a 1 ms timer on the saving thread while the rewrite runs, median of a save with the journal
    not due (the same machine's load, for comparison))."""
    shutil.rmtree(images / ".fosp", ignore_errors=True)
    held, ended, late, plain = [], [], [], []
    with Project.open(images) as project:
        first = project.entries[0]
        grow_project(project, n)
        project.compact_in_background = background
        doc = project.open_document(first.id, image_shape=(768, 1024))
        for i in range(repeat + 1):
            project._journal_lines = project_module.JOURNAL_LIMIT  # the journal is due
            t0 = time.perf_counter()
            tools.brush(doc, [(100 + 7 * i, 400)], 20)
            held.append(time.perf_counter() - t0)
            late.append(_timer_lateness(project))
            project.finish_compaction(wait=True)
            ended.append(time.perf_counter() - t0)
            assert project.is_saved(doc) and project.compaction_error is None
            project._journal_lines = 0
            t0 = time.perf_counter()
            tools.brush(doc, [(100 + 7 * i, 500)], 20)
            plain.append(time.perf_counter() - t0)
    later = (held[1:], ended[1:])
    return (*(statistics.median(x) * 1000 for x in later), ended[0] * 1000,
            statistics.median(late[1:]) * 1000, statistics.median(plain) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5053, 100_000])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fosp-bench-compaction-"))
    rows = []
    try:
        images = tmp / "photos"
        images.mkdir()
        cv2.imwrite(str(images / "photo.jpg"), np.zeros((768, 1024, 3), np.uint8))
        for n in args.sizes:
            for background in (False, True):
                figures = _due_saves(images, n, background, args.repeat)
                how = "on a worker thread (the app)" if background else "in the save (scripts)"
                cells = [f"{x:.0f}" for x in figures]
                if not background:
                    cells[3] = "-"  # no rewrite runs after the save
                rows.append((f"{n:,}", how, *cells))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}; median of {args.repeat} "
          f"(after the first rewrite); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    print()
    print("| images | project.json rewritten | due save: saving (GUI) thread held, ms | rewrite ended after, ms "
          "| first rewrite ended after, ms | 1 ms timer late by, ms | a save not due, ms |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
