"""A SmokeSeg dataset's images folder named itself (``<dataset>/JPEGImages``) belongs to the dataset's project, as
an image of it does (`fosp_core.annotation.source_choice.folder_source`): the app's open and ``fosp project``
commands agree on it. Before, the app (`app.annotation.projects.project_source`) and ``fosp project init`` /
``status`` took the folder itself: a second project, without the dataset's masks or labels. A ``JPEGImages/``
project made before that holds work is kept (as a SMOKE5K ``img/`` one is); one without work is passed over."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from app.annotation.projects import project_source
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.source_choice import folder_source
from fosp_core.cli import main


@pytest.fixture()
def dataset(demo_dir: Path, tmp_path: Path) -> Path:
    return shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp"))


def test_loose_s37_the_images_folder_is_the_datasets(dataset: Path, tmp_path: Path) -> None:
    images = dataset / "JPEGImages"
    assert folder_source(images) == dataset  # HEAD had no folder_source; project_source gave images
    assert project_source(images) == dataset
    assert project_source(images / "img001.jpg") == project_source(images)  # the app's two ways agree
    link = tmp_path / "photos"
    link.symlink_to(images, target_is_directory=True)
    assert folder_source(link).resolve() == dataset.resolve()  # a link to it, by another name
    assert folder_source(dataset) == dataset  # the dataset and a plain folder: themselves
    plain = shutil.copytree(images, tmp_path / "plain")
    assert folder_source(plain) == plain


def test_loose_s37_a_images_folder_project_with_work_is_kept(dataset: Path) -> None:
    images = dataset / "JPEGImages"
    made = Project.open(images)  # made before this session for the folder itself
    try:
        made.close()
        assert folder_source(images) == dataset  # no work in it: passed over, left on disk
        made = Project.open(images)
        first = made.ids[0]
        made.save_mask(first, np.ones((512, 512), np.uint8), Status.EDITED)  # the demo: 512 x 512
    finally:
        made.close()
    assert folder_source(images) == images  # its masks stay where they are
    assert project_source(images) == images


def test_loose_s37_fosp_project_takes_the_datasets_project(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images = dataset / "JPEGImages"
    assert main(["project", "init", str(images)]) == 0
    out = capsys.readouterr().out
    assert f"the dataset of {images}" in out, out
    assert (dataset / ".fosp" / "project.json").is_file()  # HEAD: JPEGImages/.fosp, a project of its own
    assert not (images / ".fosp").exists()
    assert main(["project", "status", str(images)]) == 0
    by_folder = capsys.readouterr().out
    assert main(["project", "status", str(dataset)]) == 0
    assert capsys.readouterr().out == by_folder  # one project, named either way


def test_loose_s37_the_images_folder_names_what_its_dataset_leaves_out(dataset: Path) -> None:
    """The items the dataset's project leaves out (two files for one id) were listed when its JPEGImages/ was
    opened itself, then shown without annotation, unnamed: named now, not listed, as when the dataset is opened."""
    from PIL import Image

    from fosp_core.open_paths import collect_image_paths

    first = sorted((dataset / "JPEGImages").glob("*.jpg"))[0]
    Image.open(first).save(first.with_suffix(".png"))
    by_dataset = collect_image_paths([dataset])
    by_folder = collect_image_paths([dataset / "JPEGImages"])
    assert [p.name for p in by_folder[0]] == [p.name for p in by_dataset[0]] and len(by_folder[0]) == 3  # HEAD: 5
    assert [(e.path, e.reason) for e in by_folder[1]] == [(e.path, e.reason) for e in by_dataset[1]]
    assert "two files for one id" in by_folder[1][0].reason
    plain = shutil.copytree(dataset / "JPEGImages", dataset.parent / "plain")
    assert len(collect_image_paths([plain])[0]) == 5  # a plain folder: every image, as before
