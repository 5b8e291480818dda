"""A project whose creation fails leaves nothing at its location: not the empty ``masks/`` and
``predictions/`` a dataset holding a non-UTF-8 file name left behind (its ``project.json`` cannot
name the file), nor a folder after a failed write. A new project folder is made under a hidden
temporary name and renamed into place, as run folders are (`fosp_core.train.run_folder`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation import project_open
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.storage import StorageError
from tests.odd_inputs import IMAGES, good_image


def _dataset(tmp_path: Path, odd_name: bool) -> Path:
    """A SMOKE5K-like dataset (img/ + gt/), which lists its own images (not from a given listing)."""
    dataset = tmp_path / "ds"
    for folder in ("img", "gt"):
        (dataset / folder).mkdir(parents=True)
        good_image(dataset / folder, "a.png")
        if odd_name:
            IMAGES["non_utf8_name"].make(dataset / folder)
    return dataset


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_dataset_with_a_non_utf8_name_leaves_no_project_folder(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, odd_name=True)
    location = tmp_path / "projects" / "ds"
    (tmp_path / "projects").mkdir()
    for where in (None, location):
        with pytest.raises(UnicodeEncodeError):
            Project.open(dataset, where)
    assert _entries(dataset) == ["gt", "img"]  # no .fosp/ (was: .fosp/masks, .fosp/predictions)
    assert _entries(tmp_path / "projects") == []  # nor a temporary folder


def test_a_failed_write_leaves_no_project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = _dataset(tmp_path, odd_name=False)

    def full_disk(path: Path, data: bytes) -> None:
        raise StorageError(path, "No space left on device")

    monkeypatch.setattr(project_open, "atomic_write", full_disk)
    with pytest.raises(ProjectError, match=r"cannot create the project \(.*No space left"):
        Project.open(dataset)
    assert _entries(dataset) == ["gt", "img"]


def test_a_folder_there_already_keeps_what_it_held_and_gets_nothing_more(tmp_path: Path) -> None:
    """A project folder without ``project.json`` (deleted by hand, masks kept): a failed creation
    adds nothing to it and removes nothing from it."""
    dataset = _dataset(tmp_path, odd_name=True)
    kept = dataset / ".fosp" / "masks" / "a.png"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"mask")
    with pytest.raises(UnicodeEncodeError):
        Project.open(dataset)
    assert _entries(dataset / ".fosp") == ["masks"] and _entries(kept.parent) == ["a.png"]


def test_a_new_project_is_made_whole_with_no_temporary_folder_left(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, odd_name=False)
    with Project.open(dataset) as project:
        assert project.folder == dataset / ".fosp" and project.ids == ["a"]
        assert {"masks", "predictions", "project.json"} <= set(_entries(project.folder))
    assert _entries(dataset) == [".fosp", "gt", "img"]
    with Project.open(dataset) as again:
        assert again.ids == ["a"]
