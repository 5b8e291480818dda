"""A folder of images and clips: the status bar's links named each video in full, and one long camera
name ("a third clip with a rather long descriptive file name from the camera.mp4") made the links
948 px wide at 1366 x 768, so the message beside them ("Opened 4 images · the folder's 3 videos open
alone: click one at the right or use File ▸ Open Video from This Folder") was cut to "Opened 4 images ·".
The links' names share 90 characters: the longest are shortened in their middle, to one length (their
start and extension kept), shorter names stay whole; the full names stay in the tooltip and in
File ▸ Open Video from This Folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument

from app.folder_videos import FolderVideos

LONG = ["a third clip with a rather long descriptive file name from the camera.mp4",
        "hpwren-los-pinos-2019-10-06-morning-east-facing-camera-ptz.mp4",
        "ijmond-blast-furnace-dusk-second-angle-from-the-harbour-side.mov"]


def _shown(links: FolderVideos) -> str:
    doc = QTextDocument()
    doc.setHtml(links.text())
    return doc.toPlainText()


def test_long_names_are_shortened_in_the_links(qtbot, tmp_path: Path) -> None:
    links = FolderVideos()
    qtbot.addWidget(links)
    links.set_videos([tmp_path / name for name in LONG])
    shown = _shown(links)
    names = shown.removeprefix("Videos here: ").split(" · ")
    assert len(names) == 3
    for name, full in zip(names, LONG, strict=True):
        assert len(name) <= 30, name
        assert name.startswith(full[:10]) and name.endswith(Path(full).suffix) and "…" in name
    assert links.sizeHint().width() <= 1366 * 0.55, links.sizeHint().width()  # was 1,366 px
    for full in LONG:
        assert full in links.toolTip()
        assert any(a.text() == full for a in links.menu.actions())


def test_names_that_fit_are_shown_whole(qtbot, tmp_path: Path) -> None:
    links = FolderVideos()
    qtbot.addWidget(links)
    links.set_videos([tmp_path / "clip.mp4", tmp_path / "hpwren-los-pinos-2019-10-06.mp4"])
    assert _shown(links) == "Videos here: clip.mp4 · hpwren-los-pinos-2019-10-06.mp4"


def test_one_long_name_beside_short_ones_gives_the_room(qtbot, tmp_path: Path) -> None:
    links = FolderVideos()
    qtbot.addWidget(links)
    links.set_videos([tmp_path / LONG[0], tmp_path / "hpwren-los-pinos-2019-10-06.mp4",
                      tmp_path / "ijmond-blast-furnace-dusk.mp4"])
    first, second, third = _shown(links).removeprefix("Videos here: ").split(" · ")
    assert third == "ijmond-blast-furnace-dusk.mp4"  # whole
    assert second.startswith("hpwren-los-pinos-") and second.endswith("10-06.mp4") and len(second) >= 30
    assert first.startswith("a third clip") and first.endswith(".mp4") and len(first) <= 30
    assert len(first) + len(second) + len(third) <= 90
