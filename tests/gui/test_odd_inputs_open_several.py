"""A file whose name is not UTF-8 (Latin-1 bytes on Linux) among SEVERAL opened paths, or beside a
file opened alone: the projects made for their folders (`prepare_projects` listing the folder
itself) leave that name out instead of failing the whole open with UnicodeEncodeError (writing
the project's UTF-8 JSON). The single-folder open (test_odd_inputs_open.py) goes the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.annotation.projects import ProjectRegistry
from app.open_task import OpenRequest, gather
from tests.odd_inputs import IMAGES, good_image


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    good_image(a, "good.png")
    IMAGES["non_utf8_name"].make(a)
    good_image(b, "other.png", seed=1)
    return a, b


def _gather(registry: ProjectRegistry, *paths: Path):  # noqa: ANN202 - OpenOutcome
    texts = tuple(str(p) for p in paths)
    return gather(OpenRequest(1, texts, False, f"{len(texts)} items"), lambda: registry.pending(texts),
                  lambda n: None, lambda text: None)


def test_several_folders_open_and_the_non_utf8_name_is_told(folders: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = folders
    registry = ProjectRegistry(tmp_path / "projects")

    outcome = _gather(registry, a, b)

    try:
        assert [p.name for p in outcome.found] == ["good.png", "other.png"]
        assert [(e.path.name, "not valid UTF-8" in e.reason) for e in outcome.errors] == [
            (r"caf\xe9-latin1.png", True)]
        assert [item.opened.error for item in outcome.projects] == [None, None]
        ids = {item.opened.source.name: item.opened.project.ids for item in outcome.projects}
        assert ids == {"a": ["good"], "b": ["other"]}
    finally:
        for item in outcome.projects:
            item.opened.project.close()


def test_a_file_opened_beside_a_non_utf8_name_gets_its_folder_s_project(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = folders
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        (opened,) = registry.open_for([a / "good.png"])  # prepare_projects without a listing

        assert opened.error is None and opened.project is not None
        assert opened.project.ids == ["good"]
        assert registry.lookup(a / "good.png") == (opened.project, "good")
    finally:
        registry.close()


def test_a_folder_of_only_non_utf8_names_among_several_is_one_project_error(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    _a, b = folders
    latin = tmp_path / "latin"
    latin.mkdir()
    IMAGES["non_utf8_name"].make(latin)
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        opened = {o.source.name: o for o in registry.open_for([latin, b])}

        assert opened["b"].error is None
        assert opened["latin"].project is None and "not valid UTF-8" in opened["latin"].error.reason
    finally:
        registry.close()


def test_a_dataset_holding_a_non_utf8_name_opens_without_its_project(tmp_path: Path) -> None:
    """A SMOKE5K-like dataset lists its own images (img/ + gt/): its project cannot be made; that is
    told as the project's error (the images still open, without annotation), not raised."""
    dataset = tmp_path / "ds"
    (dataset / "img").mkdir(parents=True)
    (dataset / "gt").mkdir()
    for folder in ("img", "gt"):
        good_image(dataset / folder, "a.png")
        IMAGES["non_utf8_name"].make(dataset / folder)
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        (opened,) = registry.open_for([dataset])

        assert opened.project is None and "not valid UTF-8" in opened.error.reason
        assert not (tmp_path / "projects").exists() or not any((tmp_path / "projects").iterdir())  # nothing half-made
    finally:
        registry.close()
