"""`Project.import_labels` with a progress callback and a cancel check: progress (done, total) after
every image with a label, a cancel between masks leaves exactly the masks written before it (whole
files, EDITED), the report says it was cancelled and how many were imported, and the project
reopens with those statuses and nothing else changed. PNG masks and labelme files alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask
from tests.foreign_files import demo_project, labelme_file

TRIANGLE = [{"label": "smoke", "points": [[10, 10], [200, 20], [100, 300]]}]


def _labelme_folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "labelme"
    folder.mkdir()
    for name in names:
        labelme_file(folder, Path(name).stem, TRIANGLE)
    return folder


def _masks_folder(demo_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "masks"
    shutil.copytree(demo_dir / "SegmentationClass", folder)
    return folder


@pytest.fixture(params=["png", "labelme"])
def source_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _source(kind: str, demo_dir: Path, tmp_path: Path, names: list[str]) -> Path:
    return _masks_folder(demo_dir, tmp_path) if kind == "png" else _labelme_folder(tmp_path, names)


def test_progress_is_told_after_every_image(source_kind: str, demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    source = _source(source_kind, demo_dir, tmp_path, names)
    told: list[tuple[int, int]] = []
    with project:
        report = project.import_labels(source, progress=lambda done, total: told.append((done, total)))
    n = len(names)
    assert told == [(i, n) for i in range(n + 1)]
    assert len(report.imported) == n and not report.cancelled and report.not_reached == 0


@pytest.mark.parametrize("k", [0, 2])
def test_a_cancel_after_k_masks_leaves_exactly_k_written(source_kind: str, k: int, demo_dir: Path,
                                                         tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    source = _source(source_kind, demo_dir, tmp_path, names)
    done_so_far = [0]

    def progress(done: int, total: int) -> None:
        done_so_far[0] = done

    with project:
        report = project.import_labels(source, progress=progress, cancelled=lambda: done_so_far[0] >= k)
        masks = project.folder / "masks"
    assert report.cancelled and len(report.imported) == k and report.not_reached == len(names) - k
    written = sorted(p.name for p in masks.glob("*.png")) if masks.is_dir() else []
    assert written == sorted(f"{i}.png" for i in report.imported)
    assert not [p for p in project.folder.rglob("*") if ".tmp" in p.name]  # no half-written file left
    reopened = Project.open(tmp_path / "images", tmp_path / "project")
    with reopened:
        statuses = {e.id: e.status for e in reopened.entries}
        for image_id in report.imported:
            mask = reopened.load_mask(image_id)
            assert mask is not None and mask.shape == (512, 512)
            if source_kind == "png":  # whole files: the source's label, every pixel
                np.testing.assert_array_equal(mask, read_mask(demo_dir / "SegmentationClass" / f"{image_id}.png"))
    assert statuses == {Path(n).stem: Status.EDITED if Path(n).stem in report.imported else Status.UNLABELED
                        for n in names}


def test_edited_images_kept_count_as_done_not_imported(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    source = _masks_folder(demo_dir, tmp_path)
    first = Path(names[0]).stem
    with project:
        project.save_mask(first, np.zeros((512, 512), np.uint8), Status.EDITED)
        told: list[int] = []
        report = project.import_labels(source, progress=lambda done, total: told.append(done),
                                       cancelled=lambda: len(told) > 2)  # (0, 1, 2) told: 2 images done
    assert report.kept == [(first, "already edited; not overwritten")]
    assert report.imported == [Path(names[1]).stem] and report.cancelled and report.not_reached == len(names) - 2
