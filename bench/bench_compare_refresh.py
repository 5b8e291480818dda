"""Compare Two Checkpoints' refresh on the GUI thread: what counting the open images' ground truth
costs (the status line "N images open, M with a ground truth (...)").

    python bench/bench_compare_refresh.py [--images 1000] [--repeats 5]

Half the images sit in a SmokeSeg layout (``ds/JPEGImages``, every other one with a label in
``ds/SegmentationClass``); the other half in an annotation project's ``images/`` folder (a folder
name whose labels `find_label` also looks for, in ``masks/``, ``labels/``, ``gt/``), with statuses
reviewed, edited, predicted, unlabeled in turn, looked up by a `ProjectRegistry` holding that
project's images: each path on its own (`lookup`, the path resolved, then a dict: the window before
session 29 AA) and in one pass (`lookup_pass`, each folder resolved once: the window now), the two
interleaved. The files are empty: only their names and folders matter.

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

from app.annotation.projects import ProjectRegistry  # noqa: E402
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
        registry = ProjectRegistry()
        registry._by_image.update(index)  # noqa: SLF001 (the map open_for fills from real projects)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        for name in ("a.safetensors", "b.safetensors"):  # make_request only asks that they exist
            (Path(tmp) / name).touch()
        dialogs = {"per path (lookup)": CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: paths,
                                                      projects=registry.lookup),
                   "one pass (lookup_pass)": CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: paths,
                                                           projects=registry.lookup,
                                                           project_pass=registry.lookup_pass)}
        walls: dict[str, list[float]] = {mode: [] for mode in dialogs}
        cpus: dict[str, list[float]] = {mode: [] for mode in dialogs}
        for dialog in dialogs.values():
            dialog.set_checkpoints(Path(tmp) / "a.safetensors", Path(tmp) / "b.safetensors")
        for _ in range(args.repeats):  # interleaved: the machine is shared
            for mode, dialog in dialogs.items():
                w, c = time.perf_counter(), time.process_time()
                dialog.refresh()
                walls[mode].append((time.perf_counter() - w) * 1000)
                cpus[mode].append((time.process_time() - c) * 1000)
        texts = {dialog.status.text().split(". Both")[0] for dialog in dialogs.values()}
        assert len(texts) == 1, texts  # the same answers either way
        print(texts.pop())
        print(f"load average {os.getloadavg()[0]:.1f}")
        print("| lookup | images | refresh ms (wall) | refresh ms (CPU) | stat/lstat calls per refresh "
              "| calls per image | calls in make_request | 1 ms a call |")
        print("|---|---|---|---|---|---|---|---|")
        for mode, dialog in dialogs.items():
            with _Calls() as calls:
                dialog.refresh()
            with _Calls() as start_calls:
                dialog.make_request()
            print(f"| {mode} | {len(paths)} | {statistics.median(walls[mode]):.1f} "
                  f"| {statistics.median(cpus[mode]):.1f} | {calls.n} | {calls.n / len(paths):.1f} "
                  f"| {start_calls.n} | {calls.n / 1000:.1f} s |")
            dialog.shutdown()
    app.processEvents()


if __name__ == "__main__":
    main()
