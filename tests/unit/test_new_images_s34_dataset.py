"""Images added to a SmokeSeg / SMOKE5K dataset after its project was made join the project at its next
opening, as a plain folder's do (`fosp_core.annotation.dataset_listing`).

Before, a dataset's project kept the images it was made with: an annotator who put new photos (and their
masks) in ``JPEGImages/`` saw them in the app with no project entry (no mask, no tools), and ``fosp project
init`` run again said nothing of them. Now the opening (the app's and ``fosp project init``'s, both
`open_source` with the open's listing) adds them as the first making did: the dataset's id, its reference
mask when it has one, the split list naming it; the masks and statuses already there untouched; an image
removed keeps its entry, those with work named, as a folder's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.source_opening import open_source
from fosp_core.open_paths import collect_image_paths

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
FIRST = "20180706_West_lp-n-mobo-c__1530902221_+00540"


def _listing(source: Path) -> list[str]:
    """The open's listing of `source`, as the app and ``fosp project init`` give it."""
    found, _errors = collect_image_paths([source])
    return [os.fspath(path) for path in found]


def _open(source: Path) -> Project:
    return open_source(source, None, _listing(source))


def _made(tmp_path: Path) -> tuple[Path, np.ndarray]:
    """A copy of the demo dataset with its project made, one image's mask edited (returned)."""
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset)
    with _open(dataset) as project:
        height, width = cv2.imread(os.fspath(project.image_path(FIRST))).shape[:2]
        mask = np.zeros((height, width), np.uint8)
        mask[10:20, 10:30] = 1
        project.save_mask(FIRST, mask, Status.EDITED)
    return dataset, mask


def _add(dataset: Path, name: str, *, with_mask: bool) -> None:
    image = cv2.imread(os.fspath(dataset / "JPEGImages" / f"{FIRST}.jpg"))
    cv2.imwrite(os.fspath(dataset / "JPEGImages" / f"{name}.jpg"), image)
    if with_mask:
        mask = np.zeros(image.shape[:2], np.uint8)
        mask[5:50, 5:50] = 1
        cv2.imwrite(os.fspath(dataset / "SegmentationClass" / f"{name}.png"), mask)


def test_images_added_to_a_smokeseg_dataset_join_its_project_with_their_masks_and_splits(tmp_path: Path) -> None:
    dataset, mask = _made(tmp_path)
    with Project.open(dataset) as project:
        before = list(project.ids)
        assert FIRST in before and project.entry(FIRST).split == "val"
    _add(dataset, "new1", with_mask=True)
    _add(dataset, "new2", with_mask=False)
    with (dataset / "ImageSets" / "Segmentation" / "val.txt").open("a", encoding="utf-8") as split:
        split.write("new1\n")
    with _open(dataset) as project:
        assert project.ids == [*before, "new1", "new2"], "the images added to JPEGImages/ joined the project"
        assert project.listing.added == ["new1", "new2"] and project.listing.missing == []
        new1, new2 = project.entry("new1"), project.entry("new2")
        assert (new1.image, new1.label, new1.split, new1.status) == (
            "JPEGImages/new1.jpg", "SegmentationClass/new1.png", "val", Status.UNLABELED)
        assert (new2.image, new2.label, new2.split, new2.status) == ("JPEGImages/new2.jpg", None, None, Status.UNLABELED)
        assert project.image_path("new1").is_file()
        assert project.entry(FIRST).status == Status.EDITED and np.array_equal(project.load_mask(FIRST), mask)
        assert all(project.entry(i).status == Status.UNLABELED for i in before if i != FIRST)
    with Project.open(dataset) as project:  # written: there without a listing too, once
        assert project.ids == [*before, "new1", "new2"]
        assert project.entry("new1").label == "SegmentationClass/new1.png"
    with _open(dataset) as project:
        assert project.listing.added == [] and project.ids == [*before, "new1", "new2"]


def test_a_new_images_reference_mask_is_imported_as_the_first_ones_are(tmp_path: Path) -> None:
    dataset, _mask = _made(tmp_path)
    _add(dataset, "new1", with_mask=True)
    with _open(dataset) as project:
        report = project.import_labels(None)
        assert "new1" in report.imported
        assert int(project.load_mask("new1").sum()) == 45 * 45
        assert project.entry(FIRST).status == Status.EDITED  # the user's work kept


def test_an_image_removed_from_a_dataset_keeps_its_entry_and_those_with_work_are_named(tmp_path: Path) -> None:
    dataset, mask = _made(tmp_path)
    with Project.open(dataset) as project:
        other = next(i for i in project.ids if i != FIRST)
    os.remove(dataset / "JPEGImages" / f"{FIRST}.jpg")
    os.remove(dataset / "JPEGImages" / f"{other}.jpg")  # unlabeled: nothing of it to name
    with _open(dataset) as project:
        assert FIRST in project.ids and other in project.ids
        assert project.listing.missing == [FIRST] and project.listing.added == []
        assert np.array_equal(project.load_mask(FIRST), mask)


def test_a_new_image_never_takes_an_id_an_entry_has_in_another_case(tmp_path: Path) -> None:
    dataset, _mask = _made(tmp_path)
    _add(dataset, "other", with_mask=False)
    os.remove(dataset / "JPEGImages" / f"{FIRST}.jpg")  # its entry stays, with its work
    os.rename(dataset / "JPEGImages" / "other.jpg", dataset / "JPEGImages" / f"{FIRST.upper()}.jpeg")
    with _open(dataset) as project:
        added = project.listing.added
        assert len(added) == 1 and added[0].casefold() != FIRST.casefold(), project.ids
        assert project.entry(added[0]).image == f"JPEGImages/{FIRST.upper()}.jpeg"


def test_an_image_of_the_dataset_opened_alone_lists_its_images_folder(tmp_path: Path) -> None:
    dataset, _mask = _made(tmp_path)
    _add(dataset, "new1", with_mask=True)
    with open_source(dataset, None, None) as project:  # the app's open of JPEGImages/x.jpg alone: no listing
        assert project.listing.added == ["new1"]


def test_images_added_to_a_smoke5k_subset_join_in_that_split(tmp_path: Path) -> None:
    dataset = tmp_path / "smoke5k"
    for subset in ("train", "test"):
        (dataset / subset / "img").mkdir(parents=True)
        (dataset / subset / "gt").mkdir()
        cv2.imwrite(os.fspath(dataset / subset / "img" / f"{subset}0.jpg"), np.full((24, 32, 3), 80, np.uint8))
        cv2.imwrite(os.fspath(dataset / subset / "gt" / f"{subset}0.png"), np.zeros((24, 32), np.uint8))
    with _open(dataset) as project:
        assert project.ids == ["test0", "train0"] and project.header["source"]["kind"] == "smoke5k"
    cv2.imwrite(os.fspath(dataset / "train" / "img" / "train1.jpg"), np.full((24, 32, 3), 90, np.uint8))
    cv2.imwrite(os.fspath(dataset / "train" / "gt" / "train1.png"), np.ones((24, 32), np.uint8))
    with _open(dataset) as project:
        assert project.listing.added == ["train1"]
        entry = project.entry("train1")
        assert (entry.image, entry.label, entry.split) == ("train/img/train1.jpg", "train/gt/train1.png", "train")


def test_fosp_project_init_again_says_the_datasets_new_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main

    monkeypatch.setenv("FOSP_CACHE", os.fspath(tmp_path / "cache"))
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset)
    assert main(["project", "init", os.fspath(dataset)]) == 0
    _add(dataset, "new1", with_mask=True)
    _add(dataset, "new2", with_mask=False)
    capsys.readouterr()
    assert main(["project", "init", os.fspath(dataset)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("; 2 new images added"), out
    assert "6 images (SmokeSeg dataset, 5 with a reference mask)" in out[1], out


def test_an_image_added_to_a_dataset_while_its_project_is_open_joins_when_listed(tmp_path: Path) -> None:
    dataset, _mask = _made(tmp_path)
    with _open(dataset) as project:
        _add(dataset, "new1", with_mask=True)
        outside = dataset / "stray.jpg"  # beside the dataset's folders: none of its images
        shutil.copy(dataset / "JPEGImages" / "new1.jpg", outside)
        changes = project.add_listed([os.fspath(dataset / "JPEGImages" / "new1.jpg"), os.fspath(outside)])
        assert changes.added == ["new1"] and project.entry("new1").label == "SegmentationClass/new1.png"
        assert not project.add_listed([os.fspath(dataset / "JPEGImages" / "new1.jpg")])  # once
    with Project.open(dataset) as project:
        assert project.ids[-1] == "new1"
