"""Image files of a folder that are symbolic links reaching no file (a loop, or links into a drive
that is not mounted): opening the folder tells each of them as what it is, or for many of them
one line on the folder, instead of leaving them out without a word ("the folder contains no image
files" for a folder of nothing else); reading one says it is a broken link, not "file not found"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.io.images import ImageReadError, read_image
from fosp_core.open_paths import collect_image_paths
from tests.odd_inputs import good_image


def _broken(folder: Path, name: str) -> Path:
    path = folder / name
    os.symlink(folder.parent / "unmounted-drive" / name, path)
    return path


def test_reading_a_broken_link_says_it_is_one(tmp_path: Path) -> None:
    path = _broken(tmp_path, "gone.png")
    with pytest.raises(ImageReadError) as caught:
        read_image(path)
    assert "gone.png is a broken link" in caught.value.reason and "unmounted-drive" in caught.value.reason


def test_a_folder_tells_each_of_its_dead_links(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    good = good_image(folder, "a.png")
    loop = folder / "self.png"
    os.symlink(loop, loop)
    broken = _broken(folder, "gone.jpg")

    found, errors = collect_image_paths([folder])

    assert found == [good.resolve()]
    reasons = {e.path.name: e.reason for e in errors}
    assert set(reasons) == {"self.png", "gone.jpg"}, reasons
    assert "leads back to itself" in reasons["self.png"] and "is a broken link" in reasons[broken.name]


def test_a_folder_of_many_dead_links_is_one_line_saying_so(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    for i in range(5):
        _broken(folder, f"img{i}.jpg")

    found, errors = collect_image_paths([folder])

    assert found == [] and len(errors) == 1
    assert errors[0].path == folder
    reason = errors[0].reason
    assert "5 image files are links that reach no file" in reason and "img0.jpg is a broken link" in reason, reason
    assert "contains no image files" not in reason


def test_fosp_predict_on_a_folder_names_its_dead_links_as_failures(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from fosp_core.cli import main
    from fosp_core.cli.exit_codes import ExitCode

    folder = tmp_path / "links"
    folder.mkdir()
    broken = _broken(folder, "img0.jpg")

    code = main(["predict", str(folder), "--out", str(tmp_path / "out"), "--device", "cpu"])

    err = capsys.readouterr().err
    assert code == ExitCode.FAILED, err  # it said "nothing to do: no image or video found" (3)
    assert f"{broken}: img0.jpg is a broken link" in err, err
