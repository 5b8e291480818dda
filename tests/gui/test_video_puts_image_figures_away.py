"""Video mode and the image analysis' figures. Analysis ▸ Export View… (Ctrl+Shift+E) stayed in the menu
while a video was open: with a result on the image put away behind the video it offered to export
that image, not the frame shown ('<image>-view.png'), and without one its key said 'Export View needs a
result: run the model (Ctrl+R) first', of the image too. Export Compare Grid… was there too, and the
compare grid (Ctrl+Shift+G) stayed open under the video, sharing the bottom with the timeline and
showing the image behind the video. In video mode they are now put away, as the image's run actions
are; the key says Export View is for images; back in image mode all is as it was (the grid open again
if it was open)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from app.analysis.chrome import EXPORT_VIEW_NEEDS
from app.main_window import MainWindow
from app.video.chrome import EXPORT_VIEW_IS_FOR_IMAGES
from fosp_core.video.testclip import write_clip
from tests.gui.tiny_model import (
    WAIT_MS,
    ready_window,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px

KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _press(window: MainWindow, key: Qt.Key) -> None:
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, key, KEYS)
    QApplication.processEvents()


def _menu_texts(window: MainWindow) -> list[str]:
    """The Analysis menu's entries a user sees."""
    menu = window.analysis.menu
    return [a.text().replace("&", "") for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_export_view_is_put_away_while_a_video_is_open(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                       monkeypatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    asked: list[str] = []

    def save_name(*args: object) -> tuple[str, str]:
        asked.append(str(args[2]))  # the name offered; the user cancels
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    clip = write_clip(tmp_path / "clip.mp4", frames=6)

    # no result on the image: the key spoke of the image behind the video
    open_video(qtbot, window, clip, tmp_path)
    window.statusBar().clearMessage()
    _press(window, Qt.Key.Key_E)
    said = window.statusBar().currentMessage()
    assert said != EXPORT_VIEW_NEEDS
    assert said == EXPORT_VIEW_IS_FOR_IMAGES.format(keys=" (Ctrl+E)")  # what the frames have instead
    window.video.leave()

    assert ctl.run_current() is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.action_export_view.isEnabled() and ctl.action_export_grid.isEnabled()

    # with a result: the key offered to export the image behind the video
    open_video(qtbot, window, clip, tmp_path)
    assert not ctl.action_export_view.isVisible() and not ctl.action_export_grid.isVisible()
    shown = _menu_texts(window)
    assert "Export View…" not in shown and "Export Compare Grid…" not in shown
    _press(window, Qt.Key.Key_E)
    assert asked == []
    assert window.statusBar().currentMessage().startswith("Export View is for images")

    window.video.leave()  # back to the images: the export as before
    assert ctl.action_export_view.isVisible() and ctl.action_export_grid.isVisible()
    assert "Export View…" in _menu_texts(window)
    _press(window, Qt.Key.Key_E)
    assert len(asked) == 1 and asked[0].endswith("-view.png")


def test_the_compare_grid_is_put_away_while_a_video_is_open(qtbot, make_window, checkpoint, demo_dir,
                                                            tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    grid = ctl.grid_dock
    toggle = grid.toggleViewAction()
    clip = write_clip(tmp_path / "clip.mp4", frames=6)

    toggle.trigger()  # Ctrl+Shift+G
    assert grid.isVisible()
    open_video(qtbot, window, clip, tmp_path)
    assert window.video.timeline_dock.isVisible()
    assert grid.isHidden()  # not beside the timeline, showing the image behind the video
    assert not toggle.isVisible()  # nor brought back by Ctrl+Shift+G (the menu's entry, the keys)
    _press(window, Qt.Key.Key_G)
    assert grid.isHidden()
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.BottomDockWidgetArea  # the timeline's

    window.video.leave()
    assert grid.isVisible() and toggle.isVisible() and toggle.isChecked()  # open again, as it was
    assert window.corner(Qt.Corner.BottomRightCorner) == Qt.DockWidgetArea.RightDockWidgetArea

    toggle.trigger()  # closed before the video: closed after it
    assert grid.isHidden()
    open_video(qtbot, window, clip, tmp_path)
    window.video.leave()
    assert grid.isHidden() and toggle.isVisible() and not toggle.isChecked()
