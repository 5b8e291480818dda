"""A dataset image the dataset's reader leaves out is not gone: its entry (and the annotator's mask) must not
be moved onto another photo whose name differs only in case.

On a case-sensitive drive, a SmokeSeg dataset's ``JPEGImages/a.jpg`` has an entry with an edited mask. Someone
adds ``A.jpg`` (another photo) and ``a.png`` (a second file for id ``a``: the reader leaves out ``a.jpg`` and
``a.png``, which is meant cannot be known, and the open's listing drops them). The following of e337459f
(`dataset_listing.follow_dataset` -> `project_listing.follow_names`, ``complete``) took "``a.jpg`` not listed" for
"``a.jpg`` gone" and "renamed" the entry: its id, status and mask now named ``A.jpg``, another photo, while
``a.jpg`` still lies there. A plain folder's listing holds every image file, so there not listed meant gone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.source_opening import open_source
from fosp_core.open_paths import collect_image_paths


def _case_sensitive(folder: Path) -> bool:
    (folder / "case").write_text("")
    sensitive = not (folder / "CASE").exists()
    (folder / "case").unlink()
    return sensitive


def _open(dataset: Path):  # noqa: ANN202
    found, _errors = collect_image_paths([dataset])
    return open_source(dataset, None, [os.fspath(path) for path in found])


def test_review_rv_s34_an_image_left_out_by_the_reader_keeps_its_entry_on_its_own_file(tmp_path: Path) -> None:
    if not _case_sensitive(tmp_path):
        pytest.skip("needs a case-sensitive drive (a.jpg and A.jpg side by side)")
    dataset = tmp_path / "data"
    (dataset / "JPEGImages").mkdir(parents=True)
    (dataset / "SegmentationClass").mkdir()
    rng = np.random.default_rng(0)
    for stem in ("a", "b"):
        cv2.imwrite(os.fspath(dataset / "JPEGImages" / f"{stem}.jpg"), rng.integers(0, 255, (24, 32, 3), np.uint8))
        cv2.imwrite(os.fspath(dataset / "SegmentationClass" / f"{stem}.png"), np.zeros((24, 32), np.uint8))
    mask = np.zeros((24, 32), np.uint8)
    mask[4:10, 4:20] = 1
    with _open(dataset) as project:
        assert project.entry("a").image == "JPEGImages/a.jpg"
        project.save_mask("a", mask, Status.EDITED)
    shutil.copyfile(dataset / "JPEGImages" / "b.jpg", dataset / "JPEGImages" / "A.jpg")  # another photo
    shutil.copyfile(dataset / "JPEGImages" / "b.jpg", dataset / "JPEGImages" / "a.png")  # id a twice: left out
    with _open(dataset) as project:
        assert project.entry("a").image == "JPEGImages/a.jpg", "the edited mask of a.jpg moved onto A.jpg"
        assert project.entry("a").status == Status.EDITED and np.array_equal(project.load_mask("a"), mask)
        assert "a" not in project.listing.renamed


def test_review_rv_s34_a_case_only_rename_in_a_dataset_still_keeps_its_entry(tmp_path: Path) -> None:
    if not _case_sensitive(tmp_path):
        pytest.skip("needs a case-sensitive drive (the rename is seen in the listing's names)")
    dataset = tmp_path / "data"
    (dataset / "JPEGImages").mkdir(parents=True)
    (dataset / "SegmentationClass").mkdir()
    for stem in ("a", "b"):
        cv2.imwrite(os.fspath(dataset / "JPEGImages" / f"{stem}.jpg"), np.full((24, 32, 3), 90, np.uint8))
    mask = np.zeros((24, 32), np.uint8)
    mask[4:10, 4:20] = 1
    with _open(dataset) as project:
        project.save_mask("a", mask, Status.EDITED)
    os.rename(dataset / "JPEGImages" / "a.jpg", dataset / "JPEGImages" / "A.jpg")
    with _open(dataset) as project:
        assert project.listing.renamed == {"a": "JPEGImages/a.jpg"} and project.listing.added == []
        assert project.entry("a").image == "JPEGImages/A.jpg" and np.array_equal(project.load_mask("a"), mask)
        assert project.listing.missing == []
