"""Main window shell defects found by working through it as a user would, each pinned by a test:
keys shared by image and video mode, the dock layout across restarts, drops, resuming a folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QSettings, Qt, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDropEvent

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip

from .conftest import WindowFactory


@pytest.fixture()
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=24, fps=24.0)


@pytest.fixture()
def folder(tmp_path: Path, demo_dir: Path) -> Path:
    """A copy of the demo images (nothing is ever written beside the bundled ones)."""
    out = tmp_path / "images"
    shutil.copytree(demo_dir / "JPEGImages", out)
    return out


@pytest.fixture()
def qt_warnings() -> Iterator[list[str]]:
    """Qt's warnings while the test runs (Qt says "Ambiguous shortcut overload" and runs neither action)."""
    seen: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg:
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)


def _isolate(window: MainWindow, tmp_path: Path) -> MainWindow:
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    return window


def _open_images(qtbot, window: MainWindow, paths: list[Path]) -> None:
    window.open_paths(paths)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10_000)


def _open_video(qtbot, window: MainWindow, clip: Path) -> None:
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([clip], remember=False)


def test_space_pans_while_a_drawing_tool_is_active_in_video_mode(qtbot, make_window: WindowFactory,
                                                                 clip: Path, tmp_path: Path) -> None:
    """Holding Space to pan while painting a video frame started playback instead (Play / Pause took
    the key before the canvas saw it), so Space+drag painted over a moving video. With a drawing tool
    Space is hold-to-pan, as on images; with the Navigate tool it plays and pauses."""
    window = _isolate(make_window(show=True), tmp_path)
    _open_video(qtbot, window, clip)
    canvas, video = window.canvas, window.video
    canvas_input = window.annotation.controller.input
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_B)  # brush
    assert canvas_input.drawing
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    assert canvas_input.space_held
    assert not video.playback.playing
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert not canvas_input.space_held
    qtbot.keyClick(canvas, Qt.Key.Key_V)  # navigate: Space plays and pauses
    assert not canvas_input.drawing
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert video.playback.playing
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert not video.playback.playing


def test_image_navigation_in_video_mode_leaves_the_arrow_keys_to_the_frames(
        qtbot, make_window: WindowFactory, folder: Path, clip: Path, tmp_path: Path, qt_warnings: list[str]) -> None:
    """In video mode Shift+N (Previous Unreviewed) still moved the hidden image list: the title named
    an image over the video, and Next/Previous Image came back on, so Left/Right belonged to two
    actions and Qt ran neither ("Ambiguous shortcut overload: Left"). The image-list keys are off in
    video mode, and whatever moves the session meanwhile (an image that fails to decode) leaves the
    arrows, the title and the canvas to the video."""
    window = _isolate(make_window(show=True), tmp_path)
    _open_images(qtbot, window, [folder])
    _open_video(qtbot, window, clip)
    canvas, video = window.canvas, window.video
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(canvas, Qt.Key.Key_N)
    assert window.session.current_index == 0
    window.session.set_current(2)  # e.g. a neighbour failed to decode while the video is open
    qtbot.wait(300)  # the image decodes meanwhile
    assert not window.action_next.isEnabled() and not window.action_previous.isEnabled()
    assert window.windowTitle().endswith(clip.name)
    assert window.canvas.image_shape == (video.reader.meta.height, video.reader.meta.width)
    with qtbot.waitSignal(video.frame_shown, timeout=5_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert video.index == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert video.index == 0
    assert not [m for m in qt_warnings if "Ambiguous" in m]


def test_picking_an_image_in_video_mode_goes_back_to_image_mode(qtbot, make_window: WindowFactory, folder: Path,
                                                                clip: Path, tmp_path: Path) -> None:
    """With View ▸ Images shown in video mode, clicking an image painted it over the video while the
    timeline, the video panel and the frame's mask document stayed (the brush then edited the frame
    under a photo). Picking an image now goes back to image mode, on that image."""
    window = _isolate(make_window(show=True), tmp_path)
    _open_images(qtbot, window, [folder])
    _open_video(qtbot, window, clip)
    window.image_dock.toggleViewAction().trigger()
    view = window.image_list
    rect = view.visualRect(view.filter_model.index(2, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not window.video.active
    assert not window.video.timeline_dock.isVisible()
    assert not window.annotation.controller.attached
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10_000)
    assert window.session.current_index == 2
    assert window.canvas.image_shape == (512, 512)
    assert window.windowTitle().endswith(window.session.paths[2].name)


def test_closing_in_video_mode_restores_the_image_layout_next_time(qtbot, make_window: WindowFactory,
                                                                   folder: Path, clip: Path, tmp_path: Path) -> None:
    """Closing the window while a video was open saved video mode's docks: the next start showed an
    empty Timeline and Video panel and no Images list, Worklist or Layers. The image layout is saved."""
    first = _isolate(make_window(show=True), tmp_path)
    _open_images(qtbot, first, [folder])
    assert first.image_dock.isVisible() and first.annotation.worklist_dock.isVisible()
    _open_video(qtbot, first, clip)
    first.close()
    second = _isolate(make_window(show=True), tmp_path)
    _open_images(qtbot, second, [folder])
    assert second.image_dock.isVisible()
    assert second.annotation.worklist_dock.isVisible()
    assert not second.video.timeline_dock.isVisible()
    assert not second.video.panel_dock.isVisible()


def test_dropping_a_video_with_other_items_says_what_was_not_opened(qtbot, make_window: WindowFactory,
                                                                    folder: Path, clip: Path, tmp_path: Path) -> None:
    """Dropping images, a folder and two videos opened the first video and silently left the rest."""
    window = _isolate(make_window(show=True), tmp_path)
    images = sorted(folder.glob("*.jpg"))
    second_clip = write_clip(tmp_path / "second.mp4", frames=4, fps=24.0)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (images[0], clip, folder, second_clip)])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.dropEvent(event)
    assert window.video.active
    message = window.statusBar().currentMessage()
    assert clip.name in message
    assert "3 other items not opened" in message


def test_reopening_a_folder_resumes_on_the_last_image(qtbot, make_window: WindowFactory, folder: Path,
                                                     tmp_path: Path, settings_path: Path) -> None:
    """A folder opened again (Open Recent, the command line, after a video) started on its first
    image; like CVAT it now resumes on the image last shown from it, also after a restart."""
    first = _isolate(make_window(), tmp_path)
    _open_images(qtbot, first, [folder])
    first.session.set_current(2)
    third = first.session.current_path
    first.close()
    second = _isolate(make_window(), tmp_path)
    second.open_paths([folder])
    assert second.session.current_path == third
    # a single file opened from that folder is simply shown
    other = sorted(folder.glob("*.jpg"))[1]
    second.open_paths([other])
    assert second.session.current_path == other.resolve()
    # opened with one of its files first, and left on it: the folder resumes on that file
    copy = shutil.copytree(folder, tmp_path / "copy")
    fresh = _isolate(make_window(), tmp_path)
    fresh.open_paths([copy / other.name, copy])
    assert fresh.session.current_index == 0
    fresh.open_paths([copy])
    assert fresh.session.current_path == (copy / other.name).resolve()
    # the image gone: the folder opens on its first image again
    second.session.set_current(3)
    last = second.session.current_path
    second.close()
    last.unlink()
    again = _isolate(make_window(), tmp_path)
    again.open_paths([folder])
    assert again.session.current_index == 0
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("recent/paths")


def test_a_failed_open_in_video_mode_keeps_the_video(qtbot, make_window: WindowFactory, clip: Path,
                                                     tmp_path: Path) -> None:
    """Opening an empty folder or a missing file while a video was open closed the video first and
    left an empty window with the error; as a video that fails to open leaves the window as it was,
    the video now stays."""
    window = _isolate(make_window(show=True), tmp_path)
    reporter = window.services.error_reporter
    _open_video(qtbot, window, clip)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert window.open_paths([empty, tmp_path / "missing.jpg"]) == []
    assert [e.path.name for e in reporter.errors] == ["empty", "missing.jpg"]
    assert window.video.active and window.video.timeline_dock.isVisible()
    assert window.canvas.image_shape == (window.video.reader.meta.height, window.video.reader.meta.width)
    assert window.windowTitle().endswith(clip.name)
