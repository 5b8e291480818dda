"""A SMOKE5K image opened alone belongs to its dataset's project, as a SmokeSeg image does.

Before, File ▸ Open Image on ``<SMOKE5K>/img/x.jpg`` made (or reopened) a project of the ``img/`` folder, a
plain folder's, beside the dataset's: an annotator who opened one image, then the dataset, had two projects
of the same images, the edits in each seen in that one only. Now the image joins the dataset's project
(`fosp_core.annotation.source_opening.image_source`): the folder holding ``img/`` and ``gt/``, or the dataset
above it of which that folder is a subset (``SMOKE5K/train/img/x.jpg``) when that dataset has its project and
the subset none. A project made for ``img/`` before, that holds work (a mask, a status), keeps opening as it
did, its masks where they were; one without work is passed over (left on disk, untouched).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.annotation import projects
from app.annotation.projects import ProjectRegistry
from fosp_core.annotation import dataset_listing
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.open_paths import collect_image_paths

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "smoke5k-train"


def _save(path: Path, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


def _pairs(folder: Path, names: tuple[str, ...] = ("a", "b", "c"), masks: tuple[str, ...] = ("a", "b")) -> Path:
    rng = np.random.default_rng(0)
    for name in names:
        _save(folder / "img" / f"{name}.jpg", rng.integers(0, 255, (12, 16, 3), np.uint8))
    for name in masks:
        _save(folder / "gt" / f"{name}.png", np.zeros((12, 16), np.uint8))
    return folder


def _open(registry: ProjectRegistry, path: Path) -> Project:
    opened = registry.open_for([path])
    assert len(opened) == 1 and opened[0].project is not None, opened
    return opened[0].project


def test_smoke5k_s35_an_image_opened_alone_joins_the_dataset_project(tmp_path: Path) -> None:
    root = _pairs(tmp_path / "smoke5k")
    registry = ProjectRegistry()
    try:
        project = _open(registry, root / "img" / "b.jpg")
        assert registry.opened(project).source == root.resolve(), "the dataset's project, not img/'s"
        assert project.header["source"]["kind"] == "smoke5k"
        assert project.ids == ["a", "b", "c"] and project.entry("a").label == "gt/a.png"
        assert registry.lookup(root / "img" / "b.jpg") == (project, "b")
        folder = project.folder
    finally:
        registry.close()
    assert not (root / "img" / ".fosp").exists(), "no second project made for img/"
    again = ProjectRegistry()
    try:  # the dataset opened whole: the same project
        assert _open(again, root).folder == folder
    finally:
        again.close()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the SMOKE5K samples (../shared/data/smoke5k-train) are not here")
def test_smoke5k_s35_a_real_smoke5k_image_opened_alone_then_the_dataset_share_one_project(tmp_path: Path) -> None:
    root = tmp_path / "smoke5k-train"
    names = sorted(p.stem for p in (SHARED / "gt").iterdir())[:4]
    for name in names:
        for sub, ext in (("img", ".jpg"), ("gt", ".png")):
            (root / sub).mkdir(parents=True, exist_ok=True)
            shutil.copy(SHARED / sub / f"{name}{ext}", root / sub / f"{name}{ext}")
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        project = _open(registry, root / "img" / f"{names[1]}.jpg")
        mask = (np.asarray(Image.open(root / "gt" / f"{names[1]}.png")) > 0).astype(np.uint8)
        project.save_mask(names[1], mask, Status.EDITED)
    finally:
        registry.close()
    again = ProjectRegistry(tmp_path / "projects")
    try:
        found, _errors = collect_image_paths([root])
        again.adopt([], found)
        dataset = _open(again, root)
        assert dataset.ids == names and dataset.entry(names[1]).status == Status.EDITED
        assert np.array_equal(dataset.load_mask(names[1]), mask), "the edit made on the image alone is the dataset's"
        assert len(os.listdir(tmp_path / "projects")) == 1, "one project, not one of img/ beside it"
    finally:
        again.close()


def test_smoke5k_s35_a_subset_image_joins_the_whole_dataset_project_when_it_has_one(tmp_path: Path) -> None:
    root = tmp_path / "SMOKE5K"
    _pairs(root / "train")
    _pairs(root / "test", ("d", "e"), ("d",))
    registry = ProjectRegistry(tmp_path / "projects")
    try:  # no project yet: the subset, a SMOKE5K dataset itself
        assert registry.opened(_open(registry, root / "test" / "img" / "d.jpg")).source == (root / "test").resolve()
    finally:
        registry.close()
    shutil.rmtree(tmp_path / "projects")
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        whole = _open(registry, root)
        assert whole.ids == ["d", "e", "a", "b", "c"]
    finally:
        registry.close()
    registry = ProjectRegistry(tmp_path / "projects")
    try:  # the dataset opened whole before: its project, not a new one of the subset
        project = _open(registry, root / "train" / "img" / "c.jpg")
        assert registry.opened(project).source == root.resolve() and project.folder == whole.folder
        assert registry.lookup(root / "train" / "img" / "c.jpg") == (project, "c")
    finally:
        registry.close()


@pytest.mark.parametrize("kept_in", ["beside", "projects_root"])
def test_smoke5k_s35_an_img_folder_project_with_work_keeps_opening_with_its_masks(tmp_path: Path, kept_in: str) -> None:
    root = _pairs(tmp_path / "smoke5k")
    projects_root = tmp_path / "projects" if kept_in == "projects_root" else None
    registry = ProjectRegistry(projects_root)
    img = (root / "img").resolve()
    mask = np.zeros((12, 16), np.uint8)
    mask[2:6, 3:9] = 1
    with Project.open(img, registry._location(img)) as old:  # as the image alone made it before
        assert old.header["source"]["kind"] == "folder"
        old.save_mask("b", mask, Status.EDITED)
        old_folder = old.folder
    try:
        project = _open(registry, root / "img" / "b.jpg")
        assert project.folder == old_folder, "the img/ project with an edit keeps opening"
        assert registry.opened(project).source == img
        assert np.array_equal(project.load_mask("b"), mask) and project.entry("b").status == Status.EDITED
    finally:
        registry.close()


def test_smoke5k_s35_an_img_folder_project_without_work_is_passed_over(tmp_path: Path) -> None:
    root = _pairs(tmp_path / "smoke5k")
    img = (root / "img").resolve()
    Project.open(img).close()  # opened once, nothing done
    registry = ProjectRegistry()
    try:
        project = _open(registry, root / "img" / "a.jpg")
        assert registry.opened(project).source == root.resolve()
        assert (img / ".fosp" / "project.json").is_file(), "left as it was"
    finally:
        registry.close()


def test_smoke5k_s35_the_left_out_items_are_not_listed_as_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """x.jpg + x.png (two files for one id) in train/img, y with two masks in train/gt, d in train and test: what
    the reader leaves out is no new image, as SmokeSeg's are not: the image alone (its dataset's folders listed
    here) does not read the whole dataset at each opening for nothing."""
    root = tmp_path / "SMOKE5K"
    _pairs(root / "train", ("a", "d", "x", "y"), ("a", "y"))
    _save(root / "train" / "img" / "x.png", np.zeros((12, 16, 3), np.uint8))
    _save(root / "train" / "gt" / "y.bmp", np.zeros((12, 16), np.uint8))
    _pairs(root / "test", ("d", "e"), ("e",))
    names = dataset_listing.dataset_image_names(root, [])
    assert names == ["test/img/d.jpg", "test/img/e.jpg", "train/img/a.jpg"], names
    Project.open(root).close()
    reads: list[Path] = []
    real = dataset_listing.read_items
    monkeypatch.setattr(dataset_listing, "read_items", lambda r: reads.append(r) or real(r))
    registry = ProjectRegistry()
    try:
        project = _open(registry, root / "train" / "img" / "a.jpg")
        assert registry.opened(project).source == root.resolve() and project.ids == ["d", "e", "a"]
    finally:
        registry.close()
    assert reads == [], "the dataset was read for images it leaves out"


def test_smoke5k_s35_a_jpegimages_folder_opened_as_a_folder_joins_its_new_images(tmp_path: Path) -> None:
    """A folder named JPEGImages (or a SMOKE5K img/) opened itself is a plain folder: an image added to it while
    its project is open joined it only when `project_source` gave the folder, never for those two names."""
    folder = tmp_path / "ds" / "JPEGImages"
    for name in ("a", "b"):
        _save(folder / f"{name}.jpg", np.zeros((12, 16, 3), np.uint8))
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        project = _open(registry, folder)
        assert project.ids == ["a", "b"]
        _save(folder / "c.jpg", np.zeros((12, 16, 3), np.uint8))
        found, _errors = collect_image_paths([folder])
        registry.adopt([], found)
        assert registry.open_for([folder]) == []
        assert project.ids == ["a", "b", "c"] and registry.lookup(folder / "c.jpg") == (project, "c")
    finally:
        registry.close()


def test_smoke5k_s35_project_source_of_images_and_folders(tmp_path: Path) -> None:
    root = _pairs(tmp_path / "smoke5k")
    plain = tmp_path / "photos" / "img"  # an img/ folder without gt/ beside it: a plain folder
    _save(plain / "p.jpg", np.zeros((4, 4, 3), np.uint8))
    assert projects.project_source(root / "img" / "a.jpg") == root
    assert projects.project_source(root / "img") == root / "img"
    assert projects.project_source(plain / "p.jpg") == plain
