"""A SmokeSeg dataset whose project was made, then given more images in ``JPEGImages/`` (one with its mask in
``SegmentationClass/``), opened in the app: the new images are in its project (a document, its reference
mask, the split list's split), the work already there kept, and the status bar says "2 new images added".

Before, a dataset's project kept the images it was made with: the new images were listed by the window
but had no project entry (no mask, no tools), and nothing said why."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project

from .annotation_helpers import demo_project, open_and_wait
from .conftest import WindowFactory

FIRST = "20180706_West_lp-n-mobo-c__1530902221_+00540"


def _add(dataset: Path, name: str, *, with_mask: bool) -> None:
    image = cv2.imread(os.fspath(dataset / "JPEGImages" / f"{FIRST}.jpg"))
    cv2.imwrite(os.fspath(dataset / "JPEGImages" / f"{name}.jpg"), np.ascontiguousarray(image[:, ::-1]))
    if with_mask:
        mask = np.zeros(image.shape[:2], np.uint8)
        mask[5:50, 5:50] = 1
        cv2.imwrite(os.fspath(dataset / "SegmentationClass" / f"{name}.png"), mask)


def test_images_added_to_a_dataset_join_its_project_when_the_app_opens_it(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)  # made as the app's first opening makes it
    with Project.open(demo, location) as project:
        before = list(project.ids)
        mask = np.zeros((512, 512), np.uint8)
        mask[100:200, 100:300] = 1
        project.save_mask(FIRST, mask, Status.EDITED)
    _add(demo, "new1", with_mask=True)
    _add(demo, "new2", with_mask=False)
    with (demo / "ImageSets" / "Segmentation" / "val.txt").open("a", encoding="utf-8") as split:
        split.write("new1\n")

    open_and_wait(qtbot, window, demo)
    assert window.opener.wait(30)
    controller = window.annotation.controller
    assert len(window.session.paths) == 6
    found = controller.registry.lookup(demo / "JPEGImages" / "new1.jpg")
    assert found is not None, "an image added to the dataset has no project entry"
    project, image_id = found
    assert image_id == "new1" and project.ids == [*before, "new1", "new2"]
    entry = project.entry("new1")
    assert (entry.label, entry.split, entry.status) == ("SegmentationClass/new1.png", "val", Status.UNLABELED)
    assert project.entry(FIRST).status == Status.EDITED and np.array_equal(project.load_mask(FIRST), mask)
    qtbot.waitUntil(lambda: "2 new images added" in window.statusBar().currentMessage(), timeout=10000)
    assert window.statusBar().currentMessage().startswith("Opened 6 images")

    window.session.set_current(window.session.index_of(demo / "JPEGImages" / "new2.jpg"))
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "new2",
                    timeout=10000)  # a document to annotate, as the images it was made with


def test_an_image_added_to_a_dataset_open_in_the_window_joins_when_it_is_opened_again(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    window = make_window(show=True)
    demo, _location = demo_project(window, demo_dir, tmp_path)
    open_and_wait(qtbot, window, demo)
    assert window.opener.wait(30)
    _add(demo, "new1", with_mask=True)  # JPEGImages/ changes; the dataset's own folder does not

    window.open_paths([demo], remember=False)
    assert window.opener.wait(30)
    found = window.annotation.controller.registry.lookup(demo / "JPEGImages" / "new1.jpg")
    assert found is not None and found[1] == "new1", "the image added while the project was open did not join"
    assert found[0].entry("new1").label == "SegmentationClass/new1.png"


def test_a_plain_folders_new_images_are_told_in_the_same_words(
        qtbot, make_window: WindowFactory, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("a", "b"):
        cv2.imwrite(os.fspath(photos / f"{name}.jpg"), np.full((48, 64, 3), 90, np.uint8))
    window = make_window(show=True)
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    Project.open(photos, registry._location(photos.resolve())).close()
    cv2.imwrite(os.fspath(photos / "c.jpg"), np.full((48, 64, 3), 120, np.uint8))

    open_and_wait(qtbot, window, photos)
    assert window.opener.wait(30)
    qtbot.waitUntil(lambda: "1 new image added" in window.statusBar().currentMessage(), timeout=10000)
