"""`export_smokeseg` (``fosp project export`` and the app's Export dialog) reads each image's mask
once (`Project.load_mask`, counted through a wrapper): it read every chosen mask twice, once to
decide whether to export the image, then again to write it. Left out images, their reasons and
order, the splits and the progress stay as they were."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.export import NO_MASK, export_smokeseg, plan_splits
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.data.datasets import open_dataset
from fosp_core.io.masks import encode_mask_png
from tests.unit.labelled_demo import labelled_demo_project

project = labelled_demo_project  # the fixture, under the name these tests use


@pytest.fixture()
def reads(monkeypatch) -> Counter:
    """Counts `Project.load_mask` calls per image id."""
    counted: Counter = Counter()
    load = Project.load_mask

    def counting(self: Project, image_id: str) -> np.ndarray | None:
        counted[image_id] += 1
        return load(self, image_id)

    monkeypatch.setattr(Project, "load_mask", counting)
    return counted


def test_each_exported_mask_is_read_once(project: Project, reads: Counter, tmp_path: Path) -> None:
    masks = {i: project.load_mask(i) for i in project.ids}
    reads.clear()
    done: list[tuple[int, int | None]] = []
    report = export_smokeseg(project, tmp_path / "out", splits=(2, 1, 1), seed=3,
                             progress=lambda d, t: done.append((d, t)))
    assert report.count == len(project.ids) and not report.skipped
    assert reads == dict.fromkeys(project.ids, 1)  # was 2 each
    assert report.splits == {k: v for k, v in plan_splits(project.entries, (2, 1, 1), 3).items() if v or k == "train"}
    assert done == [(i, len(project.ids)) for i in range(1, len(project.ids) + 1)]
    written = open_dataset(tmp_path / "out")
    for image_id, mask in masks.items():
        np.testing.assert_array_equal(written.get(image_id).mask, mask)


def test_images_left_out_are_read_once_and_told_in_order(project: Project, reads: Counter, tmp_path: Path) -> None:
    unlabeled, unreadable, misfit, kept = project.ids
    project.set_status(unlabeled, Status.UNLABELED)
    project.mask_path(unreadable).write_bytes(b"not a png")
    project.mask_path(misfit).write_bytes(encode_mask_png(np.zeros((7, 9), np.uint8)))
    report = export_smokeseg(project, tmp_path / "out", splits=None)
    assert report.splits == {"train": [kept]}
    assert [i for i, _ in report.skipped] == [unlabeled, unreadable, misfit]
    reasons = dict(report.skipped)
    assert reasons[unlabeled] == NO_MASK
    assert reasons[unreadable].startswith("unreadable mask:")
    assert reasons[misfit].startswith("mask is 9x7, the image is")
    assert reads == {unreadable: 1, misfit: 1, kept: 1}  # the unlabeled one is not read at all


def test_nothing_left_to_export_leaves_the_destination_alone(project: Project, reads: Counter,
                                                             tmp_path: Path) -> None:
    for image_id in project.ids:
        project.mask_path(image_id).write_bytes(b"broken")
    dst = tmp_path / "out"
    (dst / "JPEGImages").mkdir(parents=True)  # an earlier export (a file of one's own is never replaced)
    (dst / "JPEGImages" / "old.jpg").write_text("old")
    with pytest.raises(ProjectError, match="nothing to export"):
        export_smokeseg(project, dst, overwrite=True)
    assert [p.name for p in dst.rglob("*")] == ["JPEGImages", "old.jpg"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert reads == dict.fromkeys(project.ids, 1)
