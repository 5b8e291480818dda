"""Compare's ground truth that cannot be read: a dataset label that is not a PNG, a reviewed project
mask whose file is damaged. Each leaves its image out, named with the reason, and the sources line
says why it was left out (it said 'ground truth of another size' of an unreadable label; a damaged
project mask was no ground truth at all, silently, after the status line had counted it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from fosp_core.analysis.compare import compare_images, truth_sources_line
from fosp_core.analysis.compare_truth import ProjectTruth, ground_truth, project_lookup
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.unit.test_compare_project_truth import _photos


def _red(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0].astype(np.float32) / 255.0


def test_an_unreadable_dataset_label_is_not_said_to_be_of_another_size(demo_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_dir, tmp_path / "d")
    images = sorted((tmp_path / "d" / "JPEGImages").glob("*.jpg"))
    (tmp_path / "d" / "SegmentationClass" / f"{images[0].stem}.png").write_bytes(b"not a png")
    rows = list(compare_images(images, _red, _red))
    assert rows[0].error.startswith(f"its label {images[0].stem}.png cannot be read (")
    assert rows[0].error.count(str(tmp_path)) <= 1, rows[0].error  # the path once, not three times
    line = truth_sources_line(rows)
    assert line == f"ground truth: 3 dataset labels; left out (ground truth cannot be read): {images[0].name}", line


def test_a_damaged_reviewed_project_mask_leaves_its_image_out_named(demo_dir: Path, tmp_path: Path) -> None:
    paths = _photos(demo_dir, tmp_path / "photos")
    with Project.open(tmp_path / "photos") as project:
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(60, 80), (300, 260)], 40)
        doc.set_status(Status.REVIEWED)
    mask_file = tmp_path / "photos" / ".fosp" / "masks" / f"{paths[0].stem}.png"
    assert mask_file.is_file()
    mask_file.write_bytes(b"\x89PNG damaged")
    with Project.open(tmp_path / "photos") as project:
        truth = ProjectTruth.take(paths, project_lookup([project]))
        assert truth.status_of(paths[0]) == "reviewed"  # counted by the status line before the run
        found = ground_truth(paths[0], (512, 512), truth)
        assert found.label is None and found.problem.startswith("its project mask (reviewed) cannot be read ("), found
        rows = list(compare_images(paths, _red, _red, truth=lambda p, s: ground_truth(p, s, truth)))
    assert rows[0].error == found.problem
    assert truth_sources_line(rows) == f"ground truth: none; left out (ground truth cannot be read): {paths[0].name}"
