"""A dataset whose project is open in a `ProjectRegistry`, opened again with no listing handed in (no open's
worker listed it: `ProjectRegistry.open_for` alone): its new images join all the same. And a join handed the
dataset's reading made beforehand (`dataset_listing.read_items`, on the app's open worker) applies it without
reading the dataset again.

Before, the join's fallback listed the dataset's root folder (`source_opening.new_listing`), which holds no
image (they are in ``JPEGImages/``): nothing joined. It lists the dataset's images folders now."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation.projects import ProjectRegistry
from fosp_core.annotation import dataset_listing
from fosp_core.annotation.dataset_listing import has_new, read_items
from fosp_core.annotation.project import Project
from fosp_core.open_paths import collect_image_paths

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
FIRST = "20180706_West_lp-n-mobo-c__1530902221_+00540"


def test_a_dataset_opened_again_without_a_listing_joins_its_new_images(tmp_path: Path) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset, ignore=shutil.ignore_patterns(".fosp"))
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        registry.open_for([dataset])
        image = cv2.imread(os.fspath(dataset / "JPEGImages" / f"{FIRST}.jpg"))
        cv2.imwrite(os.fspath(dataset / "JPEGImages" / "new1.jpg"), image)
        cv2.imwrite(os.fspath(dataset / "SegmentationClass" / "new1.png"), np.ones(image.shape[:2], np.uint8))
        images = dataset / "JPEGImages"  # a coarse clock: the folder changed all the same
        os.utime(images, ns=(0, os.stat(images).st_mtime_ns + 1))
        registry.open_for([dataset])  # no listing given: listed here
        joined = registry.lookup(dataset / "JPEGImages" / "new1.jpg")
        assert joined is not None and joined[1] == "new1", "the dataset's new image did not join"
        assert joined[0].entry("new1").label == "SegmentationClass/new1.png"
    finally:
        registry.close()


def test_a_join_given_the_datasets_reading_does_not_read_it_again(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset, ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(dataset, tmp_path / "project") as project:
        listed = [os.fspath(path) for path in sorted((dataset / "JPEGImages").iterdir())]
        assert not has_new(project.entries, project.images_root, listed)  # nothing to read ahead
        new = dataset / "JPEGImages" / "new1.jpg"
        shutil.copy(listed[0], new)
        shutil.copy(dataset / "SegmentationClass" / f"{FIRST}.png", dataset / "SegmentationClass" / "new1.png")
        assert has_new(project.entries, project.images_root, [*listed, os.fspath(new)])
        read = read_items(dataset)  # on the open's worker
        monkeypatch.setattr(dataset_listing, "read_source", lambda *_args: pytest.fail("read again by the join"))
        changes = project.add_listed([os.fspath(new)], read=read)
        assert changes.added == ["new1"] and project.entry("new1").label == "SegmentationClass/new1.png"


def test_a_smoke5k_dataset_opened_again_joins_from_the_opens_listing(tmp_path: Path) -> None:
    dataset = tmp_path / "smoke5k"
    for subset in ("train", "test"):
        (dataset / subset / "img").mkdir(parents=True)
        (dataset / subset / "gt").mkdir()
        cv2.imwrite(os.fspath(dataset / subset / "img" / f"{subset}0.jpg"), np.full((24, 32, 3), 80, np.uint8))
        cv2.imwrite(os.fspath(dataset / subset / "gt" / f"{subset}0.png"), np.zeros((24, 32), np.uint8))
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        registry.open_for([dataset])
        new = dataset / "train" / "img" / "train1.jpg"
        cv2.imwrite(os.fspath(new), np.full((24, 32, 3), 90, np.uint8))
        cv2.imwrite(os.fspath(dataset / "train" / "gt" / "train1.png"), np.ones((24, 32), np.uint8))
        folder = new.parent
        os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))
        found, _errors = collect_image_paths([dataset])  # what the open's worker listed
        registry.adopt([], found)
        registry.open_for([dataset])
        joined = registry.lookup(new)
        assert joined is not None and joined[1] == "train1", "the SMOKE5K subset's new image did not join"
        assert (joined[0].entry("train1").label, joined[0].entry("train1").split) == ("train/gt/train1.png", "train")
    finally:
        registry.close()
