"""The Export dialog's duplicates line says whether each group of exact duplicates (the same image
file under two names) was kept in one split: drawn splits keep each group together ("each kept in one
split"); kept source splits are written as they were, and a group they hold apart is named with its
splits. It said neither: the line read the same whether a copy sat in train and its original in val."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import ExportReport, export_smokeseg
from fosp_core.annotation.project import Project
from tests.unit.odd_dataset_files import H, W, write_image, write_mask

SAME = "exact duplicates, the same image file under two names"


@pytest.fixture()
def project(tmp_path: Path) -> Iterator[Project]:
    """A SmokeSeg source whose split files put p1 in train and its copy 'p1 copy' in val; every image
    with a saved mask."""
    src = tmp_path / "src"
    for k in range(4):
        write_image(src / "JPEGImages" / f"p{k}.jpg", k)
        write_mask(src / "SegmentationClass" / f"p{k}.png", 1)
    (src / "JPEGImages" / "p1 copy.jpg").write_bytes((src / "JPEGImages" / "p1.jpg").read_bytes())
    write_mask(src / "SegmentationClass" / "p1 copy.png", 1)
    lists = src / "ImageSets" / "Segmentation"
    lists.mkdir(parents=True)
    (lists / "train.txt").write_text("p0\np1\np2\n", encoding="utf-8")
    (lists / "val.txt").write_text("p1 copy\np3\n", encoding="utf-8")
    with Project.open(src, tmp_path / "project") as opened:
        for image_id in opened.ids:
            mask = np.zeros((H, W), np.uint8)
            mask[2:9, 3:15] = 1
            opened.save_mask(image_id, mask, Status.EDITED)
        yield opened


def test_kept_source_splits_that_hold_a_copy_apart_are_said(project: Project, tmp_path: Path) -> None:
    report = export_smokeseg(project, tmp_path / "out", splits="keep")
    assert report.duplicates == [["p1", "p1 copy"]] and report.duplicate_splits == [["train", "val"]]
    line = export_summary(report)
    assert f"{SAME}: p1 = p1 copy" in line
    assert "not kept in one split (the source's splits, as they were): p1 = p1 copy in train and val" in line
    assert "each kept in one split" not in line


def test_drawn_splits_say_each_group_was_kept_in_one(project: Project, tmp_path: Path) -> None:
    report = export_smokeseg(project, tmp_path / "out", splits=(0.5, 0.5), seed=3)
    assert len(report.duplicate_splits) == 1 and len(report.duplicate_splits[0]) == 1
    assert f"{SAME} (each kept in one split): p1 = p1 copy" in export_summary(report)
    assert "not kept" not in export_summary(report)


def test_everything_in_train_is_one_split(project: Project, tmp_path: Path) -> None:
    report = export_smokeseg(project, tmp_path / "out", splits=None)
    assert report.duplicate_splits == [["train"]]
    assert f"{SAME} (each kept in one split): p1 = p1 copy" in export_summary(report)


def test_a_report_that_does_not_say_where_says_nothing_of_splits(tmp_path: Path) -> None:
    from app.annotation.export_dialog import duplicates_words

    report = ExportReport(tmp_path, {"train": ["a", "a_copy"]}, duplicates=[["a", "a copy"]])
    assert duplicates_words(report) == f"{SAME}: a = a copy"


def test_many_groups_apart_are_counted(tmp_path: Path) -> None:
    from app.annotation.export_dialog import duplicates_words

    groups = [[f"p{k}", f"p{k} copy"] for k in range(5)]
    report = ExportReport(tmp_path, {}, duplicates=groups, duplicate_splits=[["train", "val"]] * 5)
    words = duplicates_words(report)
    assert "p2 = p2 copy in train and val and 2 more" in words and "p3 = p3 copy in" not in words
