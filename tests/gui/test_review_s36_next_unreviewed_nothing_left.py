"""What N (Next Unreviewed) says when it finds no other image to review (s36 working-day review, demo):

- the image shown is the last one not reviewed (its review taken back with R, or never given): N said
  "Every image is reviewed" while the progress bar said 3 of 4 and the image shown was unlabelled;
- two folders opened together (two projects, one Images list): with every image of the shown image's
  project reviewed, N said "Every image is reviewed" while the other folder's images were not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QApplication

from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import copy_demo, demo_window, key


def _said(window) -> str:  # noqa: ANN001
    return window.statusBar().currentMessage()


def _ready(window) -> bool:  # noqa: ANN001
    controller = window.annotation.controller
    return controller.document is not None and controller.image_path == window.session.current_path


def test_n_on_the_last_image_not_reviewed_says_it_is_the_last(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    for _ in range(4):
        key(window, "R")
        key(window, "N")
        qtbot.waitUntil(lambda: _ready(window))
    assert _said(window) == "Every image is reviewed"  # all four: true
    key(window, "R")  # the review of the image shown taken back
    assert controller.document.status != Status.REVIEWED
    key(window, "N")
    said = _said(window)
    assert said != "Every image is reviewed", "N said every image is reviewed; the one shown is not"
    assert controller.document.image_id in said and "last" in said, said


def test_n_with_another_folder_open_does_not_say_every_image(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    first = copy_demo(demo_dir, tmp_path / "first")
    other = tmp_path / "other"
    other.mkdir()
    for path in sorted((first / "JPEGImages").iterdir())[:2]:
        shutil.copy(path, other / f"other_{path.name}")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([first, other], remember=False)
    qtbot.waitUntil(lambda: _ready(window), timeout=10000)
    assert len(window.session) == 6 and len(window.annotation.controller.registry.projects) == 2
    QApplication.processEvents()
    for _ in range(4):
        key(window, "R")
        key(window, "N")
        qtbot.waitUntil(lambda: _ready(window))
    said = _said(window)
    assert said != "Every image is reviewed", "N said every image is reviewed; 2 of the other folder's are not"
    assert "2 images" in said, said
