"""Compare's refresh counts the open images' ground truth in one pass on the GUI thread: each
image's label folders are listed once for all images, each path resolved once, and the status line
says the same as before. Counted file-system calls, not time (bench/bench_compare_refresh.py times it)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings

from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.settings import AnalysisSettings

N = 40


class _Project:
    def __init__(self, folder: Path, statuses: dict[str, str]) -> None:
        self.folder, self.images_root, self._statuses = folder, folder / "images", statuses

    def entry(self, image_id: str) -> SimpleNamespace:
        return SimpleNamespace(status=self._statuses[image_id])

    def load_mask(self, image_id: str) -> None:
        return None


def _images(root: Path) -> tuple[list[Path], dict[str, tuple[_Project, str]]]:
    """N images in a SmokeSeg layout (every other one labelled) and N in a project's images/."""
    data, labels, images = root / "ds" / "JPEGImages", root / "ds" / "SegmentationClass", root / "proj" / "images"
    for folder in (data, labels, images):
        folder.mkdir(parents=True)
    paths, statuses = [], {}
    for i in range(N):
        (data / f"d{i}.jpg").touch()
        if i % 2 == 0:
            (labels / f"d{i}.png").touch()
        (images / f"p{i}.jpg").touch()
        statuses[f"p{i}"] = ("reviewed", "edited", "predicted", "unlabeled")[i % 4]
        paths += [data / f"d{i}.jpg", images / f"p{i}.jpg"]
    project = _Project(root / "proj", statuses)
    return paths, {str(images / f"p{i}.jpg"): (project, f"p{i}") for i in range(N)}


def test_refresh_makes_a_few_file_system_calls_per_image_not_dozens(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    root = tmp_path.resolve()
    paths, index = _images(root)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: paths,
                           projects=lambda p: index.get(str(p)))  # the lookup itself touches no file
    qtbot.addWidget(dialog)
    try:
        _check(dialog, paths, monkeypatch)
    finally:
        dialog.shutdown()


def _check(dialog: CompareDialog, paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    assert dialog.status.text().startswith(
        f"{2 * N} images open, {N} with a ground truth (20 dataset labels, 10 reviewed and 10 edited masks "
        "of project images; 10 predicted masks not counted: only reviewed and edited masks are). "), \
        dialog.status.text()
    calls = []
    stat, lstat = os.stat, os.lstat
    monkeypatch.setattr(os, "stat", lambda *a, **k: calls.append(a[0]) or stat(*a, **k))
    monkeypatch.setattr(os, "lstat", lambda *a, **k: calls.append(a[0]) or lstat(*a, **k))
    before = dialog.status.text()
    dialog.refresh()
    monkeypatch.undo()
    assert dialog.status.text() == before
    # one lstat per path at most (a link?), a few per folder: before, 55 per image (find_label's 18 stats
    # in images/ thrice, every path resolved component by component up to four times)
    assert len(calls) <= len(paths) + 30, (len(calls), len(paths))
