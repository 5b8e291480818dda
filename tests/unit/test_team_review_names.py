"""Adversarial review of the team-sharing work (images joining a project, the merge import, conflicted
copies): names that are ordinary on a case-sensitive drive or in a photo collection were taken for
something they are not.

* An image ``A.jpg`` added while the project was open, beside a labelled ``a.jpg`` (a case-sensitive drive:
  two files): the join (`Project.add_listed`, given only the images it did not know) took it for a
  case-only rename of ``a.jpg`` - the entry, its mask and status moved to ``A.jpg``, and ``a.jpg`` was left
  with no entry. A join's listing is partial: an old name is renamed only when it is really gone.
* ``fosp project import`` of a copy that has work on ``a.jpg`` but no ``A.jpg`` gave this project's ``A.jpg``
  (another photo) the mask of ``a.jpg``: a name was matched by case before the exact name was looked for
  among this project's own images.
* An image whose name holds ``.conflict.`` or ``_conflict-2`` (``border_conflict-2023.jpg``) had its own mask
  counted as a sync tool's conflicted copy at every opening."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_conflicts import conflicted_copies


def _image(path: Path, value: int = 90) -> None:
    cv2.imwrite(str(path), np.full((32, 48, 3), value, np.uint8))


def _listing(folder: Path) -> list[str]:
    return sorted(os.fspath(p) for p in folder.iterdir() if p.suffix in (".jpg", ".png"))


def _case_sensitive(folder: Path) -> bool:
    (folder / "probe").write_bytes(b"")
    try:
        return not (folder / "PROBE").exists()
    finally:
        (folder / "probe").unlink()


def _mask() -> np.ndarray:
    mask = np.zeros((32, 48), np.uint8)
    mask[4:9, 4:9] = 1
    return mask


def test_an_image_added_in_another_case_while_open_is_a_new_image(tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    if not _case_sensitive(folder):
        pytest.skip("needs a case-sensitive file system (a.jpg and A.jpg both there)")
    _image(folder / "a.jpg")
    _image(folder / "b.jpg")
    with Project.open(folder, images=_listing(folder)) as project:
        project.save_mask("a", _mask(), Status.EDITED)
        _image(folder / "A.jpg", 200)  # a teammate adds another photo, named A.jpg
        changes = project.add_listed([os.fspath(folder / "A.jpg")])  # what the registry's join gives
        assert changes.renamed == {}
        assert project.entry("a").image == "a.jpg" and project.entry("a").status == Status.EDITED
        assert len(changes.added) == 1
        added = project.entry(changes.added[0])
        assert added.image == "A.jpg" and added.status == Status.UNLABELED
        assert changes.missing == []  # a partial listing says nothing of what is not in it


def test_a_case_only_rename_while_open_is_still_followed(tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    _image(folder / "a.jpg")
    with Project.open(folder, images=_listing(folder)) as project:
        project.save_mask("a", _mask(), Status.EDITED)
        os.rename(folder / "a.jpg", folder / "A.jpg")
        changes = project.add_listed([os.fspath(folder / "A.jpg")])
        assert changes.renamed == {"a": "a.jpg"} and project.entry("a").image == "A.jpg"


def test_the_merge_matches_an_exact_name_before_another_case(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    if not _case_sensitive(mine):
        pytest.skip("needs a case-sensitive file system (a.jpg and A.jpg both there)")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    _image(theirs / "a.jpg")
    with Project.open(theirs) as project:  # their copy never had A.jpg
        project.save_mask("a", _mask(), Status.REVIEWED)
    _image(mine / "a.jpg")
    _image(mine / "A.jpg", 200)
    with Project.open(mine) as project:
        by_image = {e.image: e.id for e in project.entries}
        report = project.import_labels(theirs / ".fosp")
        assert project.entry(by_image["a.jpg"]).status == Status.REVIEWED
        assert project.entry(by_image["A.jpg"]).status == Status.UNLABELED  # another photo: not a's mask
    assert report.unmatched == []


def test_their_image_in_another_case_beside_the_exact_one_is_named_unmatched(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    if not _case_sensitive(theirs):
        pytest.skip("needs a case-sensitive file system (a.jpg and A.jpg both there)")
    mine = tmp_path / "mine"
    mine.mkdir()
    _image(theirs / "a.jpg")
    _image(theirs / "A.jpg", 200)
    with Project.open(theirs) as project:
        by_image = {e.image: e.id for e in project.entries}
        project.save_mask(by_image["a.jpg"], _mask(), Status.EDITED)
        project.save_mask(by_image["A.jpg"], _mask(), Status.REVIEWED)
    _image(mine / "a.jpg")
    with Project.open(mine) as project:
        report = project.import_labels(theirs / ".fosp")
        assert project.entry("a").status == Status.EDITED
    assert report.unmatched == ["A.jpg"]  # its work is not taken: said so


def test_an_images_own_mask_is_no_conflicted_copy(tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    names = ["fire.conflict.jpg", "border_conflict-2023.jpg", "image (1).jpg", "plain.jpg"]
    for name in names:
        _image(folder / name)
    with Project.open(folder, images=_listing(folder)) as project:
        for entry in project.entries:
            project.save_mask(entry.id, _mask(), Status.EDITED)
    with Project.open(folder, images=_listing(folder)) as project:
        assert project.conflicts == []
        copy = project.folder / "masks" / "fire.conflict.sync-conflict-20261207-101500-ABCDEF7.png"
        copy.write_bytes(b"x")  # a real conflicted copy of such an image's mask is still found
        assert conflicted_copies(project.folder, project.entries) == [copy]
