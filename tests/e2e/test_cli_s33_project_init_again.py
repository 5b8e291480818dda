"""`fosp project init PATH` on a folder whose project exists: it read the project and said "left as it is" with
the images it held, silent about the images put in the folder since - which no `fosp` command then added (only
the app's opening does, with its listing): a command-line user could not get them into the project. It now opens
the project as the app's opening does (`open_source` with the folder's listing) and says "N new images added"
(nothing when none). And a project another process made while init listed the folder was said to be "made"."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main


def photos_in(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        cv2.imwrite(str(folder / name), np.full((24, 32, 3), 40 + 30 * i, np.uint8))
    return folder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return int(code), captured.out, captured.err


def test_images_added_since_are_added_and_said(tmp_path: Path, capsys) -> None:
    photos = photos_in(tmp_path / "photos", ["a.jpg", "b.jpg"])
    assert main(["project", "init", str(photos)]) == 0
    photos_in(photos, ["c.jpg", "d.png"])
    code, out, err = run(["project", "init", str(photos)], capsys)
    assert code == 0, err
    assert out.startswith(f"already an annotation project: {photos / '.fosp'}; 2 new images added\n"
                          f"  4 images in {photos}\n"), out
    with Project.open(photos, create=False) as project:
        assert sorted(e.image for e in project.entries) == ["a.jpg", "b.jpg", "c.jpg", "d.png"]
    photos_in(photos, ["e.jpg"])
    code, out, _ = run(["project", "init", str(photos / ".fosp")], capsys)  # the project folder itself
    assert code == 0 and out.startswith(f"already an annotation project: {photos / '.fosp'}; 1 new image added\n"), out
    code, out, _ = run(["project", "init", str(photos)], capsys)
    assert code == 0 and out.startswith(f"already an annotation project: {photos / '.fosp'}\n  5 images in "), out


def test_a_project_made_meanwhile_is_not_said_to_be_made(tmp_path: Path, capsys, monkeypatch) -> None:
    import fosp_core.session as session

    photos = photos_in(tmp_path / "photos", ["a.jpg", "b.jpg"])
    listing = session.collect_image_paths

    def another_process_makes_it(paths, **kwargs):  # noqa: ANN001, ANN003, ANN202 - while init lists the folder
        Project.open(photos).close()
        photos_in(photos, ["c.jpg"])  # and an image comes after it
        return listing(paths, **kwargs)

    monkeypatch.setattr(session, "collect_image_paths", another_process_makes_it)
    code, out, err = run(["project", "init", str(photos)], capsys)
    assert code == 0, err
    assert "made the annotation project" not in out, out
    assert out.startswith(f"already an annotation project: {photos / '.fosp'}; 1 new image added\n"), out
