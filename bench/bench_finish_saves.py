"""How long `Project.finish_saves` takes on the saving (GUI) thread per background save: the
journal line appended, the recovery log removed (`fosp_core.annotation.mask_saves`). Since the
journal's fsync runs on the save thread (queued after the line; the log removed when its end is
taken), a round's `finish_saves()` takes the previous round's fsync job and this round's save.

Each round: a 1-pixel stroke on one of `--images` images (cycled), its PNG written by the save
thread and waited for (with the journal fsync queued before), then `finish_saves()` timed alone; also the journal append alone
(`storage.append_record`, durable and not). Prints a table (ms). Usage:
    python bench/bench_finish_saves.py [--rounds 200] [--images 4] [--folder DIR]
`--folder`: where the project is made (default a temporary folder; the file system's fsync is
what is measured).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np


def _stats(values: list[float]) -> str:
    values = sorted(values)
    return (f"{statistics.median(values):8.3f} {values[int(0.9 * (len(values) - 1))]:8.3f} "
            f"{values[-1]:8.3f}")


def main() -> None:
    from fosp_core.annotation import tools
    from fosp_core.annotation.project import Project
    from fosp_core.annotation.storage import append_record

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--images", type=int, default=4)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        folder = Path(tmp) / "images"
        folder.mkdir()
        for i in range(args.images):
            cv2.imwrite(str(folder / f"img{i}.png"), np.full((256, 256, 3), 60 + i, np.uint8))
        finish: list[float] = []
        with Project.open(folder) as project:
            project.save_in_background = True
            docs = [project.open_document(i) for i in project.ids]
            for r in range(args.rounds):
                doc = docs[r % len(docs)]
                x, y = float(r // len(docs) % 230 + 10), float(r // len(docs) // 230 * 3 + 10)
                tools.brush(doc, [(x, y)], 1)  # a pixel not painted before: one commit
                assert project._saver is not None
                project._saver.wait()
                t0 = time.perf_counter()
                taken = project.finish_saves()
                finish.append((time.perf_counter() - t0) * 1e3)
                assert taken in (1, 2) and project.is_saved(doc), project.last_error  # 2: with a journal fsync
        journal = Path(tmp) / "journal.jsonl"
        durable, cached = [], []
        line = b'{"generation": 1, "entry": {"id": "img0", "status": "edited"}}'
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            append_record(journal, line)
            durable.append((time.perf_counter() - t0) * 1e3)
            t0 = time.perf_counter()
            append_record(journal, line, durable=False)
            cached.append((time.perf_counter() - t0) * 1e3)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds, {args.images} images; ms")
    print(f"{'':34s} {'median':>8s} {'p90':>8s} {'max':>8s}")
    print(f"{'finish_saves per save (GUI)':34s} {_stats(finish)}")
    print(f"{'journal append, fsync':34s} {_stats(durable)}")
    print(f"{'journal append, no fsync':34s} {_stats(cached)}")


if __name__ == "__main__":
    main()
