"""The Export dialog's duplicates line says whether each group of exact duplicates (the same image
file under two names) was kept in one split: drawn splits keep each group together ("each kept in one
split"); kept source splits are written as they were, and a group they hold apart is named with its
splits. It said neither: the line read the same whether a copy sat in train and its original in val."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.export import ExportReport, export_smokeseg
from fosp_core.annotation.project import Project
from tests.unit.odd_dataset_files import project_with_a_copy_split_apart

SAME = "exact duplicates, the same image file under two names"


@pytest.fixture()
def project(tmp_path: Path) -> Iterator[Project]:
    """A SmokeSeg source whose split files put p1 in train and its copy 'p1 copy' in val; every image
    with a saved mask."""
    src, folder = project_with_a_copy_split_apart(tmp_path)
    with Project.open(src, folder) as opened:
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
