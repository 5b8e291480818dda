"""Images named up to the 255-byte limit of a file name (real files on this file system): every name
derived from one (the recovery log ``<id>.png.recovery``, the set-aside copy ``.<name>.<random>.tmp``,
``….unapplied``, a rescued mask, the project folder in the cache) was longer, so saving failed with
"File name too long" and no mask was ever written, and ``fosp project import`` stopped at the first
such image. The derived names now take a short form that fits (`fosp_core.io.long_names`); a name
that fits keeps its old form, and an image whose own mask name cannot fit is told, alone."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.file_writes import PreviousFile, write_error
from fosp_core.annotation.import_loop import write_masks
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path, set_aside, unapplied_logs
from fosp_core.annotation.taken_over import rescue_mask
from fosp_core.cli import main
from fosp_core.io.long_names import NAME_MAX, fit_name, name_bytes

LONG = "n" * 251  #: with ".jpg": a 255-byte file name
EMOJI = "\U0001f525" * 62  #: 248 bytes; with ".jpg": 252


def _folder(tmp_path: Path, *names: str) -> Path:
    images = tmp_path / "images"
    images.mkdir()
    for name in names:
        assert cv2.imwrite(str(images / name), np.full((8, 8, 3), 90, np.uint8))
    return images


def _mask() -> np.ndarray:
    mask = np.zeros((8, 8), np.uint8)
    mask[:3] = 1
    return mask


@pytest.mark.parametrize("stem", [LONG, EMOJI])
def test_save_mask_of_a_longest_name(tmp_path: Path, stem: str) -> None:
    images = _folder(tmp_path, stem + ".jpg", "a.jpg")
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask(stem, _mask(), Status.EDITED)
        assert project.mask_path(stem).is_file()
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(stem).status == Status.EDITED
        assert (project.load_mask(stem) == _mask()).all()
    assert [p.name for p in (tmp_path / "project" / "masks").iterdir()] == [stem + ".png"]  # nothing left beside it


def test_log_names_fit_and_short_ones_keep_their_form() -> None:
    assert log_path(Path("m") / "a.png").name == "a.png.recovery"  # old logs on disk are found as before
    for stem in (LONG, EMOJI, "\U0001f525" * 100):
        name = log_path(Path("m") / f"{stem}.png").name
        assert name_bytes(name) <= NAME_MAX and name.endswith(".png.recovery")
    assert log_path(Path("m") / f"{LONG}.png") != log_path(Path("m") / f"{LONG[:-1]}x.png")  # the digest tells them apart


def test_a_long_names_log_is_applied_at_opening(tmp_path: Path) -> None:
    images = _folder(tmp_path, LONG + ".jpg", "a.jpg")
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask(LONG, np.zeros((8, 8), np.uint8), Status.EDITED)
        log = log_path(project.mask_path(LONG))
    log.write_bytes(encode_record(_mask(), (0, 8, 0, 8), Status.REVIEWED.value))  # a crash's log
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(LONG).status == Status.REVIEWED
        assert (project.load_mask(LONG) == _mask()).all()
    assert not log.exists()


def test_a_long_names_log_set_aside_is_listed_under_its_image(tmp_path: Path) -> None:
    images = _folder(tmp_path, LONG + ".jpg", "a.jpg")
    with Project.open(images, tmp_path / "project") as project:
        log = log_path(project.mask_path(LONG))
    log.write_bytes(b'{"format": 99}\n')  # a newer version's: set aside, never applied
    with Project.open(images, tmp_path / "project") as project:
        listed = project.unapplied_logs()
        assert [u.image_id for u in listed] == [LONG]
        assert listed[0].path.is_file() and name_bytes(listed[0].path.name) <= NAME_MAX
        second = log.with_name(log.name)
        second.write_bytes(b"x")
        again = set_aside(second)
        assert again != listed[0].path and again.is_file()
        assert sorted(u.image_id for u in unapplied_logs(project.folder / "masks", project.ids)) == [LONG, LONG]


def test_previous_file_of_a_longest_name_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / f"{LONG}.png"
    path.write_bytes(b"old")
    previous = PreviousFile(path)
    (tmp_path / "new").write_bytes(b"new")
    os.replace(tmp_path / "new", path)  # as a save replaces it
    previous.restore()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_rescued_mask_of_a_longest_name(tmp_path: Path) -> None:
    rescued = rescue_mask(tmp_path, LONG, _mask())
    assert rescued.is_file() and rescued.parent == tmp_path / "rescued" and rescued.name.startswith("nnnn")


def test_fit_name_keeps_head_and_tail() -> None:
    name = fit_name(LONG + ".png", ".0123abcd.tmp", ".")
    assert name.startswith(".nnn") and name.endswith(".0123abcd.tmp") and name_bytes(name) == NAME_MAX
    assert fit_name("a.png", ".0123abcd.tmp", ".") == ".a.png.0123abcd.tmp"


def test_import_of_a_longest_name_and_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images = _folder(tmp_path, LONG + ".jpg", "a.jpg", "b.jpg")
    Project.open(images, tmp_path / "project").close()
    masks = tmp_path / "masks"
    masks.mkdir()
    for stem in (LONG, "a", "b"):
        assert cv2.imwrite(str(masks / f"{stem}.png"), _mask())
    assert main(["project", "import", str(tmp_path / "project"), str(masks)]) == 0, capsys.readouterr().err
    with Project.open(images, tmp_path / "project") as project:
        assert [project.entry(i).status for i in (LONG, "a", "b")] == [Status.EDITED] * 3
        assert all(project.mask_path(i).is_file() for i in (LONG, "a", "b"))


def test_a_name_too_long_for_its_mask_is_told_alone(tmp_path: Path) -> None:
    stem = "n" * 250  # "<stem>.jpeg" and "<stem>.png": ids "<stem>_jpeg", "<stem>_png", masks of 259 and 258 bytes
    images = _folder(tmp_path, stem + ".jpeg", stem + ".png", "a.jpg")
    with Project.open(images, tmp_path / "project") as project:
        assert sorted(project.ids) == sorted(["a", stem + "_jpeg", stem + "_png"])
        report = write_masks(project, list(project.entries), lambda _entry: _mask(), ImportReport())
        assert report.imported == ["a"]
        assert sorted(i for i, _ in report.failed) == sorted([stem + "_jpeg", stem + "_png"])
        assert all("give the image a shorter name" in why and ("259" in why or "258" in why) for _, why in report.failed)
        with pytest.raises(ProjectSaveError, match="259 bytes long.*give the image a shorter name"):
            project.save_mask(stem + "_jpeg", _mask(), Status.EDITED)
        assert project.entry(stem + "_jpeg").status == Status.UNLABELED


def test_write_error_says_a_long_name_plainly(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300)
    error = write_error(path, OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)))
    assert "300 bytes long" in error.reason and "shorter name" in error.reason


def test_project_in_the_cache_for_a_long_folder_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation import project_files

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    source = tmp_path / ("f" * 255)
    source.mkdir()
    monkeypatch.setattr(project_files, "writable_folder", lambda _folder: False)
    assert cv2.imwrite(str(source / "a.jpg"), np.full((8, 8, 3), 90, np.uint8))
    location = project_files.default_location(source)
    assert name_bytes(location.name) <= NAME_MAX and location.parent == tmp_path / "cache" / "projects"
    location.parent.mkdir(parents=True)
    with Project.open(source, location) as project:  # made whole in a hidden folder beside it first
        project.save_mask("a", _mask(), Status.EDITED)
    assert (location / "masks" / "a.png").is_file()


@pytest.mark.parametrize("stem", [LONG, EMOJI])
def test_background_saves_of_a_longest_name(tmp_path: Path, stem: str) -> None:
    """The app's way (`save_in_background`): the commit's record goes to the recovery log first."""
    from fosp_core.annotation import tools

    images = _folder(tmp_path, stem + ".jpg")
    with Project.open(images, tmp_path / "project") as project:
        project.save_in_background = True
        doc = project.open_document(stem)
        tools.brush(doc, [(1.0, 1.0), (6.0, 6.0)], 2)
        project.finish_saves(wait=True)
        saved = doc.mask.copy()
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(stem).status == Status.EDITED
        assert np.array_equal(project.load_mask(stem), saved) and saved.any()
    assert [p.name for p in (tmp_path / "project" / "masks").iterdir()] == [stem + ".png"]


def test_an_image_too_long_for_its_mask_opens_and_its_save_says_why(tmp_path: Path) -> None:
    """Its document opens with no mask (the mask file's name was stat'ed: 'File name too long'), and
    the app's save fails telling the name's length and what to do."""
    from fosp_core.annotation import tools

    stem = "n" * 250
    images = _folder(tmp_path, stem + ".jpeg", stem + ".png")
    with Project.open(images, tmp_path / "project") as project:
        project.save_in_background = True
        events: list[tuple] = []
        project.events.connect(events.append)
        doc = project.open_document(stem + "_jpeg")
        assert not doc.mask.any()
        tools.brush(doc, [(1.0, 1.0), (6.0, 6.0)], 2)
        project.finish_saves(wait=True)
        failed = [e for e in events if e[0] == "save_failed"]
        assert failed and "259 bytes long" in str(failed[-1][2]) and "shorter name" in str(failed[-1][2]), events
