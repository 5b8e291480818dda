"""Pre-label All over real photos in the real window, against Run on all (what a lead had before).

    python bench/bench_prelabel.py [--images 300] [--run 100] [--rss-every 25]

Symlinks the first ``--images`` of SMOKE5K's real photos (``bench_label_scale.link_folder``; only read)
into a temporary folder, builds the real main window offscreen with the bundled default model on the
CPU and prints one markdown table:

1. before: Run on all (worklist summaries only; each mask then took a Shift+A on its image), cancelled
   after ``--run`` results: seconds per image;
2. after: Annotate ▸ Pre-label All over every image (the app's worker; masks saved, status predicted):
   seconds in all and per image, the process's RSS every ``--rss-every`` images (bounded: first and
   last quarters' medians), the statuses after;
3. Pre-label All again: images written (none: resumable), seconds;
4. a new process opening the folder again: how many images its Run on all plans (before this change:
   every image; now those whose saved summary is not of this model at these settings).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_label_scale import (  # noqa: E402
    build_window,
    open_folder,
    open_linked,
    planned_jobs,
    print_table,
    rss_mb,
    run_some,
)


def prelabel_all(window, rss_every: int) -> tuple[float, int, list[tuple[int, float]]]:  # noqa: ANN001
    """Pre-label All through the window's worker: (seconds, images written, [(done, RSS MB)])."""
    samples = [(0, rss_mb())]
    runs = window.prelabel
    start = time.perf_counter()
    if not runs.prelabel_all(ask=False):
        return 0.0, 0, samples
    job = runs.job
    job.signals.progress.connect(lambda done, _total: done >= samples[-1][0] + rss_every
                                 and samples.append((done, rss_mb())))
    report = runs.wait()
    seconds = time.perf_counter() - start
    samples.append((len(report.imported) if report else 0, rss_mb()))
    return seconds, len(report.imported) if report else 0, samples


def reopen(tmp: Path) -> None:
    """(child process) Open the folder again with the same projects; print what Run on all plans."""
    from app.main import create_app

    app = create_app([])  # noqa: F841 - kept alive
    folder = tmp / "photos"
    window = build_window(tmp)
    open_folder(window, folder, len(list(folder.iterdir())))
    print(f"REOPEN {planned_jobs(window)} {window.analysis.planner.run_all(window.analysis.model.model_id).note!r}",
          flush=True)
    window.annotation.controller.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--run", type=int, default=100, help="images Run on all goes over before Cancel")
    parser.add_argument("--rss-every", type=int, default=25)
    parser.add_argument("--reopen", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    if args.reopen is not None:
        reopen(args.reopen)
        return
    from app.main import create_app

    app = create_app([])  # noqa: F841 - kept alive
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        opened = open_linked(tmp, args.images)
        window, total, load = opened.window, opened.total, opened.load
        per_image, _samples = run_some(window, args.run, args.rss_every)
        rows.append((f"before: Run on all, first {args.run} images (summaries only; a mask then needs Shift+A on "
                     "each image)", f"{per_image:.2f} s / image", "no mask saved"))
        seconds, written, samples = prelabel_all(window, args.rss_every)
        quarter = max(len(samples) // 4, 1)
        first = statistics.median(r for _, r in samples[:quarter])
        last = statistics.median(r for _, r in samples[-quarter:])
        counts = Counter(e.status.value for e in window.annotation.worklist.project.entries)
        rows.append((f"after: Pre-label All, {total} images (app worker)",
                     f"{seconds:.0f} s, {seconds / max(written, 1):.2f} s / image",
                     f"{written} masks written; statuses {dict(sorted(counts.items()))}"))
        rows.append(("RSS over the pre-label (images: MB)", f"first quarter {first:.0f} MB, last {last:.0f} MB",
                     ", ".join(f"{n}: {r:.0f}" for n, r in samples)))
        start = time.perf_counter()
        again = window.prelabel.prelabel_all(ask=False)
        rows.append(("Pre-label All again", f"{time.perf_counter() - start:.2f} s",
                     f"started: {again}; {window.statusBar().currentMessage()}"))
        window.annotation.controller.close()
        window.close()
        out = subprocess.run([sys.executable, __file__, "--reopen", str(tmp)], capture_output=True, text=True,
                             timeout=1200, check=False)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("REOPEN")), None)
        rows.append(("new process, same folder: Run on all plans", *(line.split(" ", 2)[1:] if line else
                                                                      ("failed", out.stderr[-300:].replace("\n", " ")))))
    print_table(rows, total, load)


if __name__ == "__main__":
    main()
