"""Model-assisted labelling at scale in the real window: what a 1053-image folder costs.

    python bench/bench_label_scale.py [--run 150] [--images 0] [--rss-every 10]

Symlinks SMOKE5K's 1053 real photos (``/work/shared/data/smoke5k-train/img``, names that are not
``<digits>_<digits>``; only read) into a temporary folder (``--images N``: the first N only), builds
the real main window offscreen with the bundled default model on the CPU (annotation projects under
the temporary folder: ``registry.projects_root``) and measures, printing one markdown table:

1. opening the folder: until every image is listed and its annotation project is the worklist's;
2. Run on all over the first ``--run`` images (then Cancel: the full folder would take hours on 2
   shared cores): seconds per image and the process's RSS every ``--rss-every`` results (it must not
   grow without bound: the first and last quarters' medians are printed);
3. a second Run on all in the same window: how many images it plans (the finished ones must not run
   again); then Cancel at once;
4. the worklist: sorting the project's entries by uncertainty (``worklist.sort_entries``) and the
   panel's refresh sorted so (median of 5);
5. walking the worklist by uncertainty: the first ``--walk`` images shown, Accept Prediction, a
   brush stroke, Mark Reviewed (seconds per image, the saves waited for);
6. Import Labels of SMOKE5K's own masks (PNG, human labels) for ``--import`` images the run did
   not reach, through the app's worker: seconds, and the statuses after;
7. Export to SmokeSeg through the Export dialog (every image with a mask, new splits);
8. a second process opening the same folder and project: how many images its Run on all plans.

``--import-ab N`` instead times `Project.import_labels` of N photos' SMOKE5K masks (no window), 3 runs
each alternating: each mask's state journalled at once (`Project.note_state`, now) against the batch's
end only (before: `note_state` made a no-op).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PHOTOS = Path("/work/shared/data/smoke5k-train/img")


def real_photos() -> list[Path]:
    """SMOKE5K's real camera photos (not the synthetic ``<digits>_<digits>`` ones), by name."""
    return [p for p in sorted(PHOTOS.glob("*.jpg")) if not p.stem.replace("_", "").isdigit()]


def link_folder(root: Path, count: int) -> Path:
    """root/photos: a symlink to each of the first `count` real photos (0: all)."""
    folder = root / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    photos = real_photos()
    for src in photos[:count or len(photos)]:
        (folder / src.name).symlink_to(src)
    return folder


def rss_mb() -> float:
    """This process's resident set size (``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_window(tmp: Path):  # noqa: ANN201 - MainWindow, imported late (Qt)
    """The real main window (offscreen) with the default model loaded on the CPU."""
    from gui_window import wait_until
    from PySide6.QtCore import QSettings

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from fosp_core.paths import find_model

    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.video.state_root = tmp / "video-state"
    window.resize(1200, 800)
    window.show()
    ctl = window.analysis
    ctl.settings.set_checkpoint(find_model())
    assert wait_until(lambda: ctl.model is not None, 600), ctl.errors
    return window


def open_folder(window, folder: Path, total: int) -> float:  # noqa: ANN001
    """Seconds from `open_paths` until all `total` images are listed and the worklist holds their project."""
    from gui_window import wait_until

    start = time.perf_counter()
    window.open_paths([folder], remember=False)
    ui = window.annotation
    assert wait_until(lambda: len(window.session) == total and ui.worklist.project is not None
                      and len(ui.worklist.project.entries) == total, 600), (len(window.session),)
    return time.perf_counter() - start


@dataclass
class Opened:
    """A real window over linked photos (`open_linked`): the photos' `folder` and count (`total`), the
    load average before it was built, its RSS before the folder opened (MB), the seconds the opening took."""

    window: Any
    folder: Path
    total: int
    load: float
    rss_before: float
    seconds: float


def open_linked(tmp: Path, images: int) -> Opened:
    """The real window (`build_window`) over the first `images` real photos linked under `tmp`, opened
    (listed, its project made)."""
    folder = link_folder(tmp, images)
    total = len(list(folder.iterdir()))
    load = os.getloadavg()[0]
    window = build_window(tmp)
    rss_before = rss_mb()
    return Opened(window, folder, total, load, rss_before, open_folder(window, folder, total))


def print_table(rows: list[tuple[str, str, str]], total: int, load: float) -> None:
    """The bench's markdown table of `rows` (step, time, notes) under a line naming the run's setting."""
    print(f"\n{total} real SMOKE5K photos, default model on CPU (torch threads 2), load {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end\n")
    print("| step | time | notes |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def planned_jobs(window) -> int:  # noqa: ANN001
    """How many images a Run on all asked now would run (its plan; nothing started)."""
    ctl = window.analysis
    return len(ctl.planner.run_all(ctl.model.model_id).jobs)


def run_some(window, count: int, rss_every: int) -> tuple[float, list[tuple[int, float]]]:  # noqa: ANN001
    """Run on all, cancelled once `count` results are in; (seconds per image, [(results, RSS MB)])."""
    from bench_all_day import idle
    from gui_window import wait_until

    ctl = window.analysis
    project = window.annotation.worklist.project
    results: list[int] = [0]
    ctl.worker.result.connect(lambda *_a: results.__setitem__(0, results[0] + 1))
    samples = [(0, rss_mb())]
    start = time.perf_counter()
    planned: list[int | None] = []
    ctl.planning.planned.connect(planned.append)  # Run on all plans on a worker, then starts
    assert ctl.run_all() and wait_until(lambda: bool(planned))
    request = planned[0]
    assert request is not None
    while results[0] < count and request in ctl._runs:
        idle(200)
        if results[0] >= samples[-1][0] + rss_every:
            samples.append((results[0], rss_mb()))
    seconds = time.perf_counter() - start
    ctl.cancel()
    assert wait_until(lambda: request not in ctl._runs, 600)
    idle(500)
    samples.append((results[0], rss_mb()))
    done = sum(e.prediction is not None for e in project.entries)
    print(f"# Run on all: {results[0]} results in {seconds:.0f} s; {done} entries with a prediction summary",
          flush=True)
    return seconds / max(results[0], 1), samples


def time_sorts(window) -> tuple[float, float]:  # noqa: ANN001
    """(ms to sort the entries by uncertainty, ms of the worklist panel's refresh so sorted), medians of 5."""
    from fosp_core.annotation import worklist

    panel = window.annotation.worklist
    panel.restore("All images", "uncertainty")
    sort_ms, refresh_ms = [], []
    for _ in range(5):
        start = time.perf_counter()
        worklist.sort_entries(panel.project.entries, "uncertainty")
        sort_ms.append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        panel.refresh()
        refresh_ms.append(1000 * (time.perf_counter() - start))
    return statistics.median(sort_ms), statistics.median(refresh_ms)


def walk(window, count: int) -> float:  # noqa: ANN001
    """Seconds per image of the worklist walk by uncertainty (see the module doc)."""
    from bench_all_day import idle
    from gui_window import wait_until

    from tests.gui.review_steps import correct_and_review

    panel, controller, ctl = window.annotation.worklist, window.annotation.controller, window.analysis
    panel.restore("Not reviewed", "uncertainty")
    ids = [e.id for e in panel.shown()[:count]]
    start = time.perf_counter()
    for image_id in ids:
        assert panel.go_to(image_id)
        assert wait_until(lambda i=image_id: controller.document is not None and controller.document.image_id == i, 120)
        doc = controller.document
        if not wait_until(lambda d=doc: d.probability is not None, 20):  # the cache let its result go
            request = ctl.run_current()
            wait_until(lambda r=request: r not in ctl._runs, 300)
            wait_until(lambda d=doc: d.probability is not None, 30)
        correct_and_review(window)
        idle(20)
    return (time.perf_counter() - start) / max(len(ids), 1)


def import_masks(window, tmp: Path, ids: list[str]) -> tuple[float, int]:  # noqa: ANN001
    """(seconds, masks imported) of Import Labels of SMOKE5K's masks of `ids` (a folder of PNGs)."""
    masks = tmp / "gt"
    masks.mkdir()
    for image_id in ids:
        (masks / f"{image_id}.png").symlink_to(PHOTOS.parent / "gt" / f"{image_id}.png")
    start = time.perf_counter()
    imported = window.annotation.import_labels(masks)
    return time.perf_counter() - start, imported


def export(window, dst: Path) -> tuple[float, int]:  # noqa: ANN001
    """(seconds, images written) of Export to SmokeSeg through the dialog."""
    from bench_all_day import idle
    from gui_window import wait_until

    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    dialog.dst.setText(str(dst))
    reports: list[object] = []
    dialog.exported.connect(reports.append)
    start = time.perf_counter()
    dialog.start()
    assert wait_until(lambda: bool(reports) or dialog.error is not None, 900), "export did not finish"
    assert not dialog.error, dialog.error
    seconds = time.perf_counter() - start
    dialog.close()
    idle(50)
    return seconds, len(list((dst / "JPEGImages").glob("*")))


def reopen(tmp: Path, folder: Path, total: int) -> None:
    """(child process) Open the folder again with the same projects; print what Run on all plans."""
    from app.main import create_app

    app = create_app([])  # noqa: F841 - kept alive
    window = build_window(tmp)
    seconds = open_folder(window, folder, total)
    project = window.annotation.worklist.project
    summaries = sum(e.prediction is not None for e in project.entries)
    print(f"REOPEN {seconds:.2f} {summaries} {planned_jobs(window)}", flush=True)
    window.annotation.controller.close()


def import_ab(count: int) -> None:
    """Print the ``--import-ab`` table (see the module doc)."""
    from fosp_core.annotation.project import Project

    note_state = Project.note_state
    times: dict[str, list[float]] = {"each state journalled at once (now)": [], "batch end only (before)": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder, masks = link_folder(tmp, count), tmp / "gt"
        masks.mkdir()
        for photo in folder.iterdir():
            (masks / f"{photo.stem}.png").symlink_to(PHOTOS.parent / "gt" / f"{photo.stem}.png")
        for k in range(6):
            now = k % 2 == 0
            Project.note_state = note_state if now else (lambda _self, _entry: None)  # type: ignore[method-assign]
            with Project.open(folder, tmp / f"project-{k}") as project:
                start = time.perf_counter()
                assert len(project.import_labels(masks).imported) == count
                times[list(times)[0 if now else 1]].append(time.perf_counter() - start)
        Project.note_state = note_state  # type: ignore[method-assign]
    print(f"Import Labels of {count} SMOKE5K PNG masks, load {os.getloadavg()[0]:.1f}\n")
    print("| import | 3 runs, alternating |\n|---|---|")
    for name, values in times.items():
        print(f"| {name} | " + " / ".join(f"{v:.2f} s" for v in values) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=int, default=150, help="images Run on all goes over before Cancel")
    parser.add_argument("--images", type=int, default=0, help="only the first N photos (0: all 1053)")
    parser.add_argument("--rss-every", type=int, default=10)
    parser.add_argument("--walk", type=int, default=10, help="images walked, accepted, corrected, reviewed")
    parser.add_argument("--import", dest="imports", type=int, default=300, help="images given SMOKE5K's masks")
    parser.add_argument("--import-ab", type=int, default=0, help="only the import timing, N photos")
    parser.add_argument("--reopen", type=Path, help=argparse.SUPPRESS)  # the child process: its temp folder
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    if args.import_ab:
        import_ab(args.import_ab)
        return
    if args.reopen is not None:
        reopen(args.reopen, args.reopen / "photos", len(list((args.reopen / "photos").iterdir())))
        return
    from app.main import create_app

    app = create_app([])  # noqa: F841 - kept alive
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        opened = open_linked(tmp, args.images)
        window, total, load = opened.window, opened.total, opened.load
        rows.append((f"open a folder of {total} photos (listed + project made)", f"{opened.seconds:.1f} s",
                     f"RSS {opened.rss_before:.0f} -> {rss_mb():.0f} MB"))
        per_image, samples = run_some(window, args.run, args.rss_every)
        quarter = max(len(samples) // 4, 1)
        first, last = statistics.median(r for _, r in samples[:quarter]), statistics.median(r for _, r in samples[-quarter:])
        rows.append((f"Run on all, default model, CPU, first {samples[-1][0]} images then Cancel",
                     f"{per_image:.2f} s / image", f"RSS median first quarter {first:.0f} MB, last {last:.0f} MB"))
        rows.append(("RSS over the run (results: MB)", "", ", ".join(f"{n}: {r:.0f}" for n, r in samples)))
        left = planned_jobs(window)
        rows.append(("second Run on all, same window: images planned", str(left), f"of {total}; {samples[-1][0]} done"))
        sort_ms, refresh_ms = time_sorts(window)
        rows.append((f"worklist: sort {total} entries by uncertainty / panel refresh", f"{sort_ms:.1f} ms / {refresh_ms:.0f} ms",
                     "median of 5"))
        per_image = walk(window, args.walk)
        rows.append((f"walk by uncertainty: show, Accept Prediction, a stroke, Mark Reviewed ({args.walk} images)",
                     f"{per_image:.2f} s / image", "saves waited for"))
        project = window.annotation.worklist.project
        todo = [e.id for e in project.entries if e.prediction is None][:args.imports]
        seconds, imported = import_masks(window, tmp, todo)
        from collections import Counter

        counts = Counter(e.status.value for e in project.entries)
        rows.append((f"Import Labels: SMOKE5K's PNG masks of {len(todo)} images (app worker)", f"{seconds:.1f} s",
                     f"{imported} imported; statuses now {dict(sorted(counts.items()))}"))
        seconds, written = export(window, tmp / "export")
        rows.append(("Export to SmokeSeg (dialog, new splits)", f"{seconds:.1f} s", f"{written} images written"))
        window.annotation.controller.close()
        window.close()
        out = subprocess.run([sys.executable, __file__, "--reopen", str(tmp)], capture_output=True, text=True,
                             timeout=1200, check=False)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("REOPEN")), None)
        if line is None:
            rows.append(("reopen in a new process", "failed", out.stderr[-300:].replace("\n", " ")))
        else:
            _, secs, summaries, planned = line.split()
            rows.append(("reopen in a new process: open / Run on all plans", f"{float(secs):.1f} s / {planned} images",
                         f"{summaries} entries with a prediction summary"))
    print_table(rows, total, load)


if __name__ == "__main__":
    main()
