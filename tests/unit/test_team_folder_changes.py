"""A team's shared images folder changes while its project is closed: someone adds images, renames one
with only its case changed (``img.jpg`` -> ``IMG.jpg`` on a case-insensitive drive or by a sync tool).

Before, the project kept the image list it was made with: an image added later was listed by the app
but had no project entry, so it opened with no mask and no tools, and nothing said why; a case-only
rename left the entry (and its mask) on a file that is no more, and the image as a stranger.
Opening a plain folder's project with the open's listing now adds the new images (unlabeled) and
follows a case-only rename (same entry, same mask, same status)."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.storage import ProjectLock


def _image(path: Path) -> None:
    cv2.imwrite(str(path), np.full((32, 48, 3), 90, np.uint8))


def _listing(folder: Path) -> list[str]:
    return sorted(os.fspath(p) for p in folder.iterdir() if p.suffix in (".jpg", ".png"))


def _made(tmp_path: Path, names: tuple[str, ...] = ("a.jpg", "b.jpg")) -> Path:
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in names:
        _image(folder / name)
    with Project.open(folder, images=_listing(folder)) as project:
        mask = np.zeros((32, 48), np.uint8)
        mask[4:9, 4:9] = 1
        project.save_mask("a", mask, Status.EDITED)
    return folder


def test_an_image_added_while_closed_joins_the_project(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    _image(folder / "c.jpg")
    with Project.open(folder, images=_listing(folder)) as project:
        assert project.ids == ["a", "b", "c"]
        assert project.entry("c").status == Status.UNLABELED and project.image_path("c").is_file()
        assert project.entry("a").status == Status.EDITED
        project.save_mask("c", np.ones((32, 48), np.uint8), Status.EDITED)
    with Project.open(folder) as project:  # written: there without a listing too
        assert project.ids == ["a", "b", "c"] and project.entry("c").status == Status.EDITED


def test_a_case_only_rename_keeps_the_entry_and_its_mask(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    os.rename(folder / "a.jpg", folder / "A.jpg")
    with Project.open(folder, images=_listing(folder)) as project:
        assert project.ids == ["a", "b"]
        assert project.entry("a").image == "A.jpg" and project.image_path("a").is_file()
        assert project.listing.renamed == {"a": "a.jpg"} and project.listing.missing == []
        assert project.entry("a").status == Status.EDITED and project.load_mask("a").sum() == 25


def test_an_added_image_never_shares_an_id_with_one_gone(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    os.remove(folder / "b.jpg")  # its entry stays (its mask may hold work); a new B.png is another image
    _image(folder / "B.png")
    with Project.open(folder, images=_listing(folder)) as project:
        new = [i for i in project.ids if i not in ("a", "b")]
        assert len(new) == 1 and new[0].casefold() != "b", project.ids
        assert project.entry(new[0]).image == "B.png"


def test_a_read_only_opening_adds_them_without_writing(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    _image(folder / "c.jpg")
    holder = ProjectLock(folder / ".fosp" / "lock")
    assert holder.acquire() is None
    try:
        before = (folder / ".fosp" / "project.json").read_bytes()
        with Project.open(folder, images=_listing(folder), break_lock=False) as project:
            assert project.read_only and "c" in project.ids
        assert (folder / ".fosp" / "project.json").read_bytes() == before
    finally:
        holder.release()


def test_an_image_added_while_open_is_taken_when_listed(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    with Project.open(folder, images=_listing(folder)) as project:
        _image(folder / "c.jpg")
        changes = project.add_listed([os.fspath(folder / "c.jpg")])
        assert changes.added == ["c"] and project.entry("c").image == "c.jpg"
        project.save_mask("c", np.ones((32, 48), np.uint8), Status.EDITED)
        assert not project.add_listed([os.fspath(folder / "c.jpg")])  # once
    with Project.open(folder) as project:
        assert project.ids == ["a", "b", "c"] and project.entry("c").status == Status.EDITED


def test_an_image_with_work_renamed_while_closed_is_named_missing(tmp_path: Path) -> None:
    folder = _made(tmp_path)
    os.rename(folder / "a.jpg", folder / "a-renamed.jpg")
    os.remove(folder / "b.jpg")  # unlabeled: nothing of it to name
    with Project.open(folder, images=_listing(folder)) as project:
        assert project.listing.missing == ["a"] and project.listing.added == ["a-renamed"]
        assert project.entry("a").status == Status.EDITED and project.load_mask("a") is not None  # kept
