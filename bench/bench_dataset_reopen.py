"""A SmokeSeg dataset open in the window, opened again after images were added to its ``JPEGImages/``.

    python bench/bench_dataset_reopen.py [--images 30000] [--added 2] [--repeats 2]

The new images join the dataset's project, which reads the dataset for them (`labels.read_source`: its
masks and split lists, as the project's making did). Before, that read ran in the join on the GUI thread
(`ProjectRegistry._join` -> `Project.add_listed`); now the open's worker makes it (`projects.read_ahead`) and
the GUI thread applies it. "before" is run in this very code with the worker's reading turned off
(`ProjectRegistry.open_datasets` answering []), which is the join of e337459f: it reads on the GUI thread.

The dataset (made once under $FOSP_BENCH_ROOT, default /tmp/fosp-bench-dataset-reopen; HOME,
XDG_CACHE_HOME and FOSP_CONFIG pointed there): --images tiny JPEGs (16x16) in JPEGImages/, every other one
with a mask in SegmentationClass/, all named in ImageSets/Segmentation/train.txt. For each mode, alternated
--repeats times: a fresh window (offscreen; its project made afresh in a scratch folder), the dataset opened
and settled, --added images (half with a mask) put in JPEGImages/, then

- reopen: the dataset opened again (its listing goes to the worker);
- alone: one more new image opened alone (a small open, done at once on the GUI thread unless its join
  reads a big dataset).

Prints a markdown table per scenario and mode: the time the GUI thread spent applying the open
(`Opener._apply`, the join in it; for "alone" the whole `open_paths` call too, which holds the GUI thread
for a small open), the longest gap between two turns of the event loop while it ran (3 ms apart when
idle; it counts the GUI thread's waits for the GIL while the worker reads, and for a CPU on a loaded
machine: the load average is printed; FOSP_STALL_REPORT-style stacks: `app.stall_report`), the open's wall
time, which threads read the dataset, and whether every new image joined.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT_TMP = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/fosp-bench-dataset-reopen"))
for _var, _sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
    os.environ[_var] = os.fspath(ROOT_TMP / _sub)


def _encoded(fmt: str, array: object) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def build_dataset(images: int) -> Path:
    """A SmokeSeg dataset of `images` tiny JPEGs (made once; kept when complete)."""
    import numpy as np

    root = ROOT_TMP / f"dataset-{images}"
    jpegs, masks = root / "JPEGImages", root / "SegmentationClass"
    split = root / "ImageSets" / "Segmentation" / "train.txt"
    if split.is_file() and sum(1 for _ in os.scandir(jpegs)) == images:
        return root
    shutil.rmtree(root, ignore_errors=True)
    for folder in (jpegs, masks, split.parent):
        folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    jpeg = _encoded("JPEG", rng.integers(0, 255, (16, 16, 3), np.uint8))
    mask = _encoded("PNG", (rng.random((16, 16)) > 0.5).astype(np.uint8))
    ids = [f"img{i:06d}" for i in range(images)]
    for i, image_id in enumerate(ids):
        (jpegs / f"{image_id}.jpg").write_bytes(jpeg)
        if i % 2 == 0:
            (masks / f"{image_id}.png").write_bytes(mask)
    split.write_text("".join(f"{image_id}\n" for image_id in ids), encoding="utf-8")
    return root


def _add(dataset: Path, names: list[str]) -> list[Path]:
    """New images (each other one with a mask), JPEGImages/'s time moved on (a coarse clock)."""
    jpeg = next(os.scandir(dataset / "JPEGImages")).path
    masks = sorted((dataset / "SegmentationClass").iterdir())[:1]
    added = []
    for i, name in enumerate(names):
        added.append(dataset / "JPEGImages" / f"{name}.jpg")
        shutil.copy(jpeg, added[-1])
        if i % 2 == 0 and masks:
            shutil.copy(masks[0], dataset / "SegmentationClass" / f"{name}.png")
    folder = dataset / "JPEGImages"
    os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))
    return added


def _remove(dataset: Path, names: list[str]) -> None:
    for name in names:
        (dataset / "JPEGImages" / f"{name}.jpg").unlink(missing_ok=True)
        (dataset / "SegmentationClass" / f"{name}.png").unlink(missing_ok=True)


def run(dataset: Path, mode: str, added: int) -> dict[str, dict[str, object]]:
    """One window: the dataset opened, then reopened with `added` new images, then one more opened alone."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from fosp_core.annotation import dataset_listing

    app = QApplication.instance() or QApplication([])
    scratch = Path(tempfile.mkdtemp(dir=ROOT_TMP))
    settings = QSettings(str(scratch / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    registry = window.annotation.controller.registry
    registry.projects_root = scratch / "projects"
    if mode == "before":  # the worker reads nothing ahead: the join reads on the GUI thread (e337459f)
        registry.open_datasets = lambda _paths: []
    window.resize(1280, 800)
    window.show()

    readers: list[str] = []
    real_read = dataset_listing.read_source

    def spied_read(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        readers.append("GUI" if threading.current_thread() is threading.main_thread() else "worker")
        return real_read(*args, **kwargs)

    dataset_listing.read_source = spied_read
    applied: list[float] = []
    real_apply = window.opener._apply

    def timed_apply(outcome):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        try:
            return real_apply(outcome)
        finally:
            applied.append(time.perf_counter() - start)

    window.opener._apply = timed_apply

    def open_and_measure(paths: list[Path]) -> dict[str, object]:
        applied.clear()
        readers.clear()
        start = time.perf_counter()
        window.open_paths(paths, remember=False)  # a small open is done (applied) in this call
        last = time.perf_counter()
        held = gap = last - start
        while window.opener.busy:
            app.processEvents()
            now = time.perf_counter()
            gap = max(gap, now - last)
            last = now
            time.sleep(0.003)
        wall = time.perf_counter() - start
        return {"apply": sum(applied), "held": held, "gap": gap, "wall": wall, "readers": list(readers)}

    names = [f"new_{mode}_{i}" for i in range(added)]
    alone = f"new_{mode}_alone"
    try:
        window.open_paths([dataset], remember=False)
        assert window.opener.wait(600), "the first opening did not finish"
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        new = _add(dataset, names)
        out = {"reopen": open_and_measure([dataset])}
        out["reopen"]["joined"] = sum(registry.lookup(path) is not None for path in new)
        (one,) = _add(dataset, [alone])
        out["alone"] = open_and_measure([one])
        out["alone"]["joined"] = int(registry.lookup(one) is not None)
    finally:
        dataset_listing.read_source = real_read
        window.close()
        app.processEvents()
        _remove(dataset, [*names, alone])
        shutil.rmtree(scratch, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=30_000)
    parser.add_argument("--added", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    ROOT_TMP.mkdir(parents=True, exist_ok=True)
    dataset = build_dataset(args.images)
    results: dict[tuple[str, str], list[dict[str, object]]] = {}
    for _ in range(args.repeats):
        for mode in ("before", "after"):
            for scenario, got in run(dataset, mode, args.added).items():
                results.setdefault((scenario, mode), []).append(got)
    print(f"{args.images:,}-image SmokeSeg dataset open in the window; {args.added} images added, then one more "
          f"opened alone; median of {args.repeats} (each: min-max); load average {os.getloadavg()[0]:.1f}\n")
    print("| scenario | mode | GUI thread: applying the open | GUI thread: open_paths call | longest event-loop gap "
          "| open's wall | dataset read on | joined |")
    print("|---|---|---|---|---|---|---|---|")

    def cell(rows: list[dict[str, object]], key: str, scale: float = 1.0, unit: str = "s") -> str:
        values = [float(row[key]) * scale for row in rows]
        return f"{statistics.median(values):.3f} {unit} ({min(values):.3f}-{max(values):.3f})"

    for (scenario, mode), rows in results.items():
        readers = sorted({reader for row in rows for reader in row["readers"]}) or ["-"]
        joined = "/".join(str(row["joined"]) for row in rows)
        print(f"| {scenario} | {mode} | {cell(rows, 'apply')} | {cell(rows, 'held')} | {cell(rows, 'gap')} "
              f"| {cell(rows, 'wall')} | {', '.join(readers)} | {joined} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
