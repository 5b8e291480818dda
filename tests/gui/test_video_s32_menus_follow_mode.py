"""In video mode the menus offered what acts on the image project behind the video: Annotate ▸ Pre-label All…
and Run on All Again stayed on (they pre-label / run the model on the images put away), View listed
'Images (N)' and Annotate the Worklist (their docks put away: ticked, the image list came back over the video).
They are off (the actions) or hidden (the dock toggles) while a video is open, and back on leaving it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _offered(window) -> list[QAction]:  # noqa: ANN001 - a MainWindow
    """Every menu entry one can click: visible and enabled, submenus walked."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator() and action.isVisible() and action.isEnabled():
                found.append(action)

    for top in window.menuBar().actions():
        walk(top.menu())
    return found


def test_image_project_entries_are_off_in_video_mode_and_back_after(qtbot, make_window, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(folder / f"img{i}.png")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.image_dock.windowTitle() == "Images (3)", timeout=10_000)
    actions = window.annotation.actions
    image_only = [actions.prelabel_all, actions.run_all_again, window.image_dock.toggleViewAction(),
                  window.annotation.worklist_dock.toggleViewAction()]
    offered = _offered(window)
    assert all(action in offered for action in image_only)  # image mode: all of them on
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=8, fps=8.0), tmp_path)
    offered = _offered(window)
    assert [a.text() for a in image_only if a in offered] == []
    assert window.video.timeline_dock.toggleViewAction() in offered  # the video's own docks stay listed
    window.video.leave()
    qtbot.waitUntil(lambda: not window.video.active, timeout=10_000)
    offered = _offered(window)
    assert [a.text() for a in image_only if a not in offered] == []
