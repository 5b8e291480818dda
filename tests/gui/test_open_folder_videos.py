"""A folder of pictures and clips: opening it said "Opened 4 images" and nothing of the video beside them
or of how to open it. The status bar now names the folder's videos and the way to open one, links to
them stay in the status bar (a click opens one), and a folder of videos only says why nothing opened.
File ▸ Open…'s dialog, the way to open a video, was titled "Open Images" with one "Images (...)" filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.services import CollectingErrorReporter
from tests.odd_inputs import good_image, write_video

from .conftest import WindowFactory


def _folder(tmp_path: Path, images: int, videos: list[str]) -> Path:
    folder = tmp_path / "day"
    folder.mkdir()
    for i in range(images):
        good_image(folder, f"img_{i}.jpg", seed=i)
    for name in videos:
        write_video(folder / name, 3)
    return folder


def test_a_folder_of_images_and_a_video_names_the_video_and_how_to_open_it(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, 4, ["clip.mp4"])
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"

    added = window.open_paths([folder], remember=False)

    assert len(added) == 4 and not window.video.active
    assert window.statusBar().currentMessage() == (
        "Opened 4 images · the folder's video opens alone: click it at the right or use "
        "File ▸ Open Video from This Folder")
    links = window.opener.folder_videos
    assert links.isVisible() and links.videos == [(folder / "clip.mp4").resolve()]
    assert 'href="0">clip.mp4</a>' in links.text()

    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):  # one click opens it
        links.linkActivated.emit("0")
    assert window.video.active and window.video.reader is not None
    assert window.video.reader.meta.path.name == "clip.mp4"
    assert links.isVisible()  # still there: the folder's other videos stay one click away


def test_links_follow_the_images_opened(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2, ["b.mkv", "a.mp4", "c.avi", "d.mov", ".hidden.mp4"])
    other = tmp_path / "other"
    other.mkdir()
    good_image(other, "x.png")
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    window.open_paths([folder], remember=False)
    links = window.opener.folder_videos
    assert [v.name for v in links.videos] == ["a.mp4", "b.mkv", "c.avi", "d.mov"]
    assert links.text().endswith('+1 more…</a>') and "d.mov" in links.toolTip()
    assert window.statusBar().currentMessage() == (
        "Opened 2 images · the folder's 4 videos open alone: click one at the right or use "
        "File ▸ Open Video from This Folder")

    window.open_paths([other], remember=False)  # another folder's images: its (no) videos
    assert links.videos == [] and links.isHidden()
    assert window.statusBar().currentMessage() == "Opened 1 image"


def test_a_folder_of_videos_only_says_why_nothing_opened(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 0, ["clip.mp4"])
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    assert window.open_paths([folder], remember=False) == []

    assert [e.reason for e in reporter.errors] == [
        "the folder contains no image files; it holds 1 video (clip.mp4): a video opens on its own, not with a folder"]
    assert window.statusBar().currentMessage().startswith("The folder's video opens alone: click it at the right")
    assert [v.name for v in window.opener.folder_videos.videos] == ["clip.mp4"]


def test_the_open_dialog_offers_images_and_videos(make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def fake(_parent, title: str, _folder: str, filters: str) -> tuple[list[str], str]:  # noqa: ANN001
        asked.append((title, filters))
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(fake))
    window = make_window()
    window.open_files_dialog()

    [(title, filters)] = asked
    assert title == "Open Images or Videos"
    names = [f.split(" (")[0] for f in filters.split(";;")]
    assert names == ["Images and videos", "Images", "Videos", "All files"]
    both, images, videos, _all = filters.split(";;")
    assert "*.jpg" in both and "*.mp4" in both
    assert "*.png" in images and "*.mp4" not in images
    assert "*.mkv" in videos and "*.jpg" not in videos
