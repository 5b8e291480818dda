"""Compare Two Checkpoints' refresh on the GUI thread: what counting the open images' ground truth
costs (the status line "N images open, M with a ground truth (...)").

    python bench/bench_compare_refresh.py [--images 1000] [--repeats 5]

Half the images sit in a SmokeSeg layout (``ds/JPEGImages``, every other one with a label in
``ds/SegmentationClass``); the other half in an annotation project's ``images/`` folder (a folder
name whose labels `find_label` also looks for, in ``masks/``, ``labels/``, ``gt/``), with statuses
reviewed, edited, predicted, unlabeled in turn, looked up as the window's `ProjectRegistry.lookup`
does (the path resolved, then a dict). The files are empty: only their names and folders matter.

Per refresh: the GUI-thread time (median of `--repeats`, wall clock and this process's CPU time),
and the file-system calls made (``os.stat`` and ``os.lstat``, counted): on a network drive each is
a round trip, so the calls are what scales (1 ms each: 1000 calls = 1 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.training.compare_dialog import CompareDialog  # noqa: E402
from fosp_core.analysis.settings import AnalysisSettings  # noqa: E402
from fosp_core.open_paths import resolve_texts  # noqa: E402

STATUSES = ("reviewed", "edited", "predicted", "unlabeled")


class _Project:
    """What `ProjectTruth` reads of a project: its folder, images root and entries' statuses."""

    def __init__(self, folder: Path, statuses: dict[str, str]) -> None:
        self.folder = folder
        self.images_root = folder / "images"
        self._statuses = statuses

    def entry(self, image_id: str) -> SimpleNamespace:
        return SimpleNamespace(status=self._statuses[image_id])

    def load_mask(self, image_id: str) -> None:
        return None


def make_images(root: Path, n: int) -> tuple[list[Path], dict[str, tuple[_Project, str]]]:
    """`n` empty image files (half in a dataset, half in a project) and the project lookup's index."""
    deep = root / "share" / "team" / "smoke" / "2026"  # a network share's depth
    data, labels, images = deep / "ds" / "JPEGImages", deep / "ds" / "SegmentationClass", deep / "proj" / "images"
    for folder in (data, labels, images):
        folder.mkdir(parents=True)
    paths: list[Path] = []
    statuses: dict[str, str] = {}
    for i in range(n // 2):
        (data / f"d{i:05d}.jpg").touch()
        if i % 2 == 0:
            (labels / f"d{i:05d}.png").touch()
        paths.append(data / f"d{i:05d}.jpg")
    for i in range(n - n // 2):
        (images / f"p{i:05d}.jpg").touch()
        statuses[f"p{i:05d}"] = STATUSES[i % len(STATUSES)]
        paths.append(images / f"p{i:05d}.jpg")
    project = _Project(deep / "proj", statuses)
    index = {text: (project, Path(text).stem) for text in resolve_texts(images.glob("*.jpg"))}
    return paths, index


class _Calls:
    """Counts ``os.stat`` and ``os.lstat`` calls while active."""

    def __init__(self) -> None:
        self.n = 0
        self._saved = (os.stat, os.lstat)

    def __enter__(self) -> _Calls:
        stat, lstat = self._saved

        def counted_stat(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.n += 1
            return stat(*args, **kwargs)

        def counted_lstat(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.n += 1
            return lstat(*args, **kwargs)

        os.stat, os.lstat = counted_stat, counted_lstat
        return self

    def __exit__(self, *exc: object) -> None:
        os.stat, os.lstat = self._saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        paths, index = make_images(Path(tmp), args.images)

        def lookup(path: Path) -> tuple[_Project, str] | None:
            return index.get(next(resolve_texts((path,))))

        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        dialog = CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: paths, projects=lookup)
        for name in ("a.safetensors", "b.safetensors"):  # make_request only asks that they exist
            (Path(tmp) / name).touch()
        dialog.set_checkpoints(Path(tmp) / "a.safetensors", Path(tmp) / "b.safetensors")
        walls, cpus = [], []
        for _ in range(args.repeats):
            w, c = time.perf_counter(), time.process_time()
            dialog.refresh()
            walls.append((time.perf_counter() - w) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        with _Calls() as calls:
            dialog.refresh()
        with _Calls() as start_calls:
            dialog.make_request()
        print(dialog.status.text().split(". Both")[0])
        print(f"load average {os.getloadavg()[0]:.1f}")
        print("| images | refresh ms (wall) | refresh ms (CPU) | stat/lstat calls per refresh "
              "| calls per image | calls in make_request |")
        print("|---|---|---|---|---|---|")
        print(f"| {len(paths)} | {statistics.median(walls):.1f} | {statistics.median(cpus):.1f} | {calls.n} "
              f"| {calls.n / len(paths):.1f} | {start_calls.n} |")
        dialog.shutdown()
    app.processEvents()


if __name__ == "__main__":
    main()
