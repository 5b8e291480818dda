"""Opening a folder hands its listing to the annotation project (`prepare_projects(..., listed)`):
the project is made from it, the folder is not listed a second time, and every image maps to its
id as it does without the listing - a file linked from elsewhere included."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import fosp_core.annotation.labels as labels
from app.annotation.projects import prepare_projects
from fosp_core.session import collect_image_paths

from .conftest import WindowFactory


@pytest.fixture()
def photos(demo_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    shutil.copytree(demo_dir / "JPEGImages", folder)
    return folder


def _images(source: Path, location: Path, listed: bool) -> dict[str, str]:
    found, _ = collect_image_paths([source])
    (item,) = prepare_projects([(source.resolve(), location)], {source.resolve(): found} if listed else None)
    assert item.opened.project is not None, item.opened.error
    item.opened.project.close()
    return {text: image_id for text, (_project, image_id) in item.images.items()}


def test_a_folder_maps_the_same_given_its_listing(photos: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(sorted(photos.iterdir())[0], elsewhere / "target.jpg")
    try:
        (photos / "linked.jpg").symlink_to(elsewhere / "target.jpg")
        (photos / "sibling.jpg").symlink_to(sorted(photos.iterdir())[1])
    except OSError:
        pytest.skip("no symbolic links here")
    without = _images(photos, tmp_path / "a", listed=False)
    given = _images(photos, tmp_path / "b", listed=True)
    assert given == without
    assert without[os.path.realpath(elsewhere / "target.jpg")] == "linked"
    # made again from the existing project (reopened), given the listing: the same map
    assert _images(photos, tmp_path / "b", listed=True) == without


def test_a_dataset_maps_the_same_given_its_listing(demo_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(demo_dir, dataset)
    without = _images(dataset, tmp_path / "a", listed=False)
    assert len(without) == 4
    assert _images(dataset, tmp_path / "b", listed=True) == without


def test_opening_a_folder_in_the_window_lists_it_once(qtbot, make_window: WindowFactory, photos: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    def no_second_listing(folder: object) -> list[str]:
        raise AssertionError("the project listed the folder again")

    monkeypatch.setattr(labels, "list_image_names", no_second_listing)
    assert len(window.open_paths([photos])) == 4
    registry = window.annotation.controller.registry
    assert len(registry.projects) == 1 and len(registry.projects[0].ids) == 4
    for path in sorted(photos.iterdir()):
        found = registry.lookup(path)
        assert found is not None and found[1] == path.stem
