"""The videos beside a folder's images, from the same listing (a video opens alone: the app names them and
how to open one), and a folder of videos only told as such instead of "contains no image files"."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.io import image_files
from fosp_core.io.image_files import list_images, list_images_and
from fosp_core.session import collect_image_paths
from fosp_core.video.reader import VIDEO_EXTENSIONS


def _touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"x")


def test_list_images_and_gives_the_videos_of_the_same_pass(tmp_path: Path, monkeypatch) -> None:
    _touch(tmp_path, "b.jpg", "a.png", "Clip.MP4", "a.mkv", ".hidden.mp4", "notes.txt")
    (tmp_path / "folder.mp4").mkdir()  # a folder named like a video is none
    os.symlink(tmp_path / "a.mkv", tmp_path / "link.avi")
    scans = 0
    real = os.scandir

    def counting(path):  # noqa: ANN001, ANN202
        nonlocal scans
        scans += 1
        return real(path)

    monkeypatch.setattr(image_files.os, "scandir", counting)
    images, videos = list_images_and(tmp_path, VIDEO_EXTENSIONS)
    assert scans == 1
    assert images == list_images(tmp_path)
    assert [v.name for v in videos] == sorted(["a.mkv", "Clip.MP4", "link.avi"], key=os.path.normcase)  # as images


def test_collect_image_paths_hands_the_folders_videos_when_asked(tmp_path: Path) -> None:
    day, other = tmp_path / "day", tmp_path / "other"
    _touch(day, "1.jpg", "2.jpg", "3.jpg", "4.jpg", "clip.mp4")
    _touch(other, "x.png", "b.mov")
    videos: list[Path] = []
    found, errors = collect_image_paths([day, other, day / "clip.mp4"], videos=videos)
    assert [p.name for p in found] == ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "x.png"] and len(errors) == 1
    assert videos == [(day / "clip.mp4").resolve(), (other / "b.mov").resolve()]
    assert collect_image_paths([day])[0] == found[:4]  # not asked: as before


def test_a_folder_of_videos_only_names_them(tmp_path: Path) -> None:
    _touch(tmp_path / "clips", "a.mp4", "b.mp4", "c.mp4", "d.avi", "e.mkv")
    _touch(tmp_path / "empty")
    found, errors = collect_image_paths([tmp_path / "clips", tmp_path / "empty"])
    assert found == []
    assert [e.reason for e in errors] == [
        "the folder contains no image files; it holds 5 videos (a.mp4, b.mp4, c.mp4 and 2 more): a video opens "
        "on its own, not with a folder",
        "the folder contains no image files",
    ]
