"""File names Windows cannot hold, produced from image names: a SmokeSeg id is a file stem (``JPEGImages/<id>.jpg``,
``SegmentationClass/<id>.png``), and the ids came from the images' names with only white space changed. An
image named ``con.jpg`` (``NUL``, ``AUX``, ``COM1``..., any case, before the first dot: device names there) or
``12:30:05.jpg`` (a camera's time; ``:`` opens an NTFS stream) gave the id ``con`` / ``12:30:05``: on Windows
the export wrote that image into the console device or a stream and broke off, or the dataset made on Linux
could not be copied there. Now `portable_id` renames them (``con_``, ``12_30_05``) for the project export and
`fosp dataset convert` alike, and on Windows (simulated: ``os.name`` as the writer sees it) `check_id` refuses
such an id given to `write_smokeseg` directly, saying why, instead of writing it into a device."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.data import smokeseg
from fosp_core.data.smokeseg import check_id
from fosp_core.data.smokeseg_ids import portable_id, smokeseg_ids
from fosp_core.windows_names import windows_name_problem
from tests.unit.odd_dataset_files import H, W, write_image, write_mask

NAMES = ["con", "NUL", "Aux.v2", "com1", "12:30:05", "console", "plain"]
PORTABLE = {"con": "con_", "NUL": "NUL_", "Aux.v2": "Aux_.v2", "com1": "com1_", "12:30:05": "12_30_05",
            "console": "console", "plain": "plain"}


class _Windows:
    """`os` as `fosp_core.data.smokeseg` sees it on Windows (the real `os.name` left alone: pathlib reads it)."""

    name = "nt"

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def test_ids_are_file_names_on_every_system() -> None:
    assert {n: portable_id(n) for n in NAMES} == PORTABLE
    assert smokeseg_ids(NAMES) == PORTABLE
    assert smokeseg_ids(["con", "con_"]) == {"con_": "con_", "con": "con__2"}  # a clash: numbered
    for renamed in PORTABLE.values():
        assert windows_name_problem(f"{renamed}.jpg") is None, renamed


@pytest.mark.parametrize("name", ["con.jpg", "CON.tar.gz", "lpt9.png", "COM\u00b9.png", "a:b.png", "a?.png",
                                  "tab\t.png", "end."])
def test_names_windows_cannot_hold_are_named(name: str) -> None:
    assert windows_name_problem(name) is not None


def test_check_id_on_windows_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_id("con") is None and check_id("a:b") is None  # on POSIX a file may be so called
    monkeypatch.setattr(smokeseg, "os", _Windows())
    assert "device" in str(check_id("con"))
    assert "':'" in str(check_id("a:b"))
    assert check_id("con_") is None and check_id("console") is None


def _labelled_project(folder: Path, names: list[str]):  # noqa: ANN202 - Project
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.project import Project

    for k, name in enumerate(names):
        write_image(folder / f"{name}.jpg", k)
    project = Project.open(folder, folder.parent / f"{folder.name}-project")
    for image_id in project.ids:
        mask = np.zeros((H, W), np.uint8)
        mask[2:9, 3:15] = 1
        project.save_mask(image_id, mask, Status.EDITED)
    return project


@pytest.mark.parametrize("platform", ["posix", "nt"])
def test_a_project_export_writes_every_image_under_a_portable_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 platform: str) -> None:
    from fosp_core.annotation.export import export_smokeseg

    with _labelled_project(tmp_path / "photos", NAMES) as project:
        if platform == "nt":
            monkeypatch.setattr(smokeseg, "os", _Windows())
        report = export_smokeseg(project, tmp_path / "exported", splits=None)
    assert report.skipped == [], report.skipped  # none left out on Windows either
    written = sorted(p.stem for p in (tmp_path / "exported" / "JPEGImages").iterdir())
    assert written == sorted(PORTABLE.values())
    assert sorted(p.stem for p in (tmp_path / "exported" / "SegmentationClass").iterdir()) == written


def test_convert_names_ids_by_the_same_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    for k, name in enumerate(NAMES):
        write_image(src / "img" / f"{name}.jpg", k)
        write_mask(src / "gt" / f"{name}.png")
    assert main(["dataset", "convert", str(src), str(tmp_path / "converted")]) == 0
    written = sorted(p.stem for p in (tmp_path / "converted" / "JPEGImages").iterdir())
    assert written == sorted(PORTABLE.values())
    said = capsys.readouterr().err
    assert "renamed con -> con_ (con is a name Windows keeps for a device" in said, said
    assert "renamed 12:30:05 -> 12_30_05 (Windows refuses the character ':'" in said, said


def test_a_videos_frame_ids_are_file_names_on_every_system() -> None:
    from fosp_core.video.export import export_stem

    assert export_stem("VID 0001") == "VID_0001" and export_stem(".hidden") == "hidden"  # as before
    assert export_stem("cam:01 12:30") == "cam_01_12_30"  # a camera's time in the name
    assert export_stem("con.x") == "con_.x"  # 'con.x_000001.jpg' is the console there
    assert windows_name_problem(f"{export_stem('aux.2')}_000001.jpg") is None
