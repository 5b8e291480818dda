"""Session 32 review: leaving video mode gives every menu entry back as it was before the video, on and off
alike (not 'all on'), whether the video was shown and left or failed to open; and the docks as they were:
the Images dock, closed by the user before the video, came back after it (ModeSwitch.show_images showed it
whatever it had been)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QDockWidget, QMenu

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _entries(window) -> dict[str, tuple[bool, bool]]:  # noqa: ANN001 - a MainWindow
    """Every menu entry: (enabled, visible), by its menu path."""
    found: dict[str, tuple[bool, bool]] = {}

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            name = f"{where} > {action.text()}"
            if action.menu() is not None:
                walk(action.menu(), name)
            elif not action.isSeparator():
                found[name] = (action.isEnabled(), action.isVisible())

    for top in window.menuBar().actions():
        walk(top.menu(), top.text())
    return found


def _changed(before: dict, after: dict) -> dict:  # noqa: ANN001
    return {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()
            if before.get(k) != after.get(k) and "Images (" not in k and "Recent" not in k}


def test_menus_come_back_as_they_were(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(folder / f"img{i}.png")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.image_dock.windowTitle() == "Images (3)", timeout=10_000)
    qtbot.waitUntil(lambda: window.annotation.controller.document is not None, timeout=10_000)
    window.annotation.worklist_dock.close()  # the user closed these before
    window.analysis.layer_dock.close()
    window.image_dock.close()
    qtbot.wait(50)
    def docks() -> dict[str, bool]:
        return {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)
                if d not in (window.video.timeline_dock, window.video.panel_dock)}

    docks_before = docks()
    before = _entries(window)
    assert any(not enabled for enabled, _ in before.values())  # some are off in image mode: they must stay so
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    window.services.error_reporter.report = lambda *_a, **_k: None  # no modal box in the test
    window.open_paths([broken], remember=False)
    qtbot.waitUntil(lambda: "broken.mp4" in window.statusBar().currentMessage(), timeout=10_000)
    qtbot.wait(200)
    assert _changed(before, _entries(window)) == {}
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=8, fps=8.0), tmp_path)
    window.video.leave()
    qtbot.waitUntil(lambda: not window.video.active, timeout=10_000)
    qtbot.wait(200)
    assert _changed(before, _entries(window)) == {}
    assert docks() == docks_before
