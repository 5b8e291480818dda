"""A long video's frame-0 preview (app.video.preview) as a user would break it: a second video opened, images
opened, the same file reopened from Open Recent, the window closed, the export and whole-video keys pressed,
and the key-clash check, all during the preview. The scan is held (tests/held_scan.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window
from tests.gui.key_clashes import key_clashes
from tests.gui.test_video_frame0_preview import frame0, previewing, shown
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

WAIT_MS = 10_000


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))


def image_window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    return window


def video_window(qtbot, make_window, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    """A shown window with ``tmp_path/first.mp4`` (20 frames) open: the video behind a preview."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "first.mp4", frames=20, size=(128, 96)), tmp_path)
    return window


def window_behind(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                  behind: str) -> MainWindow:
    """The window a preview opens over: the demo images (`behind` "images") or a video ("video")."""
    if behind == "images":
        return image_window(qtbot, make_window, demo_dir, tmp_path)
    return video_window(qtbot, make_window, tmp_path)


def video_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("video-")]


def test_reopening_the_file_being_indexed_from_open_recent_keeps_its_open_and_preview(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = image_window(qtbot, make_window, demo_dir, tmp_path)
    video = window.video
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    request = video._opening[0]  # noqa: SLF001
    cancels: list[int] = []
    monkeypatch.setattr(video.opener, "cancel", lambda cancel=video.opener.cancel: cancels.append(1) or cancel())
    window.recent.add(clip)
    window.rebuild_recent_menu()
    [entry] = [a for a in window.recent_menu.actions() if a.data() == str(clip)]
    entry.trigger()  # its scan would start again from packet 0, the window flashing back to the image
    assert cancels == [] and video.preview.active and video._opening[0] == request  # noqa: SLF001
    np.testing.assert_array_equal(shown(window), frame0(clip))
    assert "clip.mp4" in window.statusBar().currentMessage()
    held.release()
    qtbot.waitUntil(lambda: video.active and video.shown_index == 0, timeout=WAIT_MS)
    assert window.recent.paths()[0] == clip and video.frame_count == 30


def test_a_second_long_video_over_the_first_ones_preview_previews_and_opens_it(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    second = write_clip(tmp_path / "second.mp4", frames=25, size=(128, 96))
    window = video_window(qtbot, make_window, tmp_path)
    video = window.video
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    window.open_paths([second], remember=False)
    qtbot.waitUntil(lambda: video.preview.path == second, timeout=WAIT_MS)
    np.testing.assert_array_equal(shown(window), frame0(second))
    assert "second.mp4" in window.windowTitle() and not any(a.isEnabled() for a in video.actions)
    assert key_clashes(window) == []
    held.release()
    qtbot.waitUntil(lambda: video.active and video.reader.meta.path == second and video.shown_index == 0,
                    timeout=WAIT_MS)
    assert video.frame_count == 25 and not video.preview.active and "indexing" not in window.windowTitle()


@pytest.mark.parametrize("behind", ["images", "video"])
def test_opening_images_during_the_preview_drops_it_and_shows_them(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch, behind: str) -> None:
    window = window_behind(qtbot, make_window, demo_dir, tmp_path, behind)
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    image = sorted(demo_dir.rglob("*.jpg"))[1]
    window.open_paths([image], remember=False)
    qtbot.waitUntil(lambda: not window.video.active and window.session.current_image is not None
                    and window.session.current_image.path == image, timeout=WAIT_MS)
    assert not window.video.preview.active and window.video.opening is None
    assert not window.video.timeline_dock.isVisible() and "indexing" not in window.windowTitle()
    assert window.annotation.controller.document is not None and not window.annotation.controller.attached
    held.release()


@pytest.mark.parametrize("behind", ["images", "video"])
def test_closing_the_window_during_the_preview_leaves_no_thread_and_the_image_layout(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch, behind: str) -> None:
    window = window_behind(qtbot, make_window, demo_dir, tmp_path, behind)
    HeldScan(monkeypatch)  # never released: the close stops the scan
    previewing(qtbot, window, clip)
    assert {"video-open", "video-index"} <= set(video_threads())  # the open waits for the scan
    window.close()
    assert video_threads() == []
    assert not window.video.preview.active and not window.video.timeline_dock.isVisible()


def test_the_export_and_whole_video_keys_do_nothing_to_the_video_behind_the_preview(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = video_window(qtbot, make_window, tmp_path)
    video = window.video
    asked: list[str] = []
    monkeypatch.setattr(video.exporter, "dialog", lambda *_a: asked.append("export"))
    monkeypatch.setattr(video.predictions, "predict_whole", lambda: asked.append("predict"))
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    window.canvas.setFocus()
    for key, modifiers in ((Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)):
        QTest.keyClick(window.canvas, key, modifiers)
    assert asked == [] and not video.panel.export_button.isEnabled()
    held.release()


def test_no_key_clash_during_a_preview_from_images(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = image_window(qtbot, make_window, demo_dir, tmp_path)
    assert key_clashes(window) == []
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    assert key_clashes(window) == []
    frame_keys = {k.toString() for k in window.video.preview.keys.shortcuts()}
    on = {k.toString() for a in window.findChildren(type(window.action_next))
          if a.isEnabled() and a.isVisible() for k in a.shortcuts()}
    assert frame_keys and not frame_keys & on
    held.release()


def test_the_scans_progress_does_not_wipe_what_a_held_key_or_stroke_says(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = image_window(qtbot, make_window, demo_dir, tmp_path)
    video, bar = window.video, window.statusBar()
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    request = video._opening[0]  # noqa: SLF001
    video.opener.indexing.emit(request, 3, 30)
    assert bar.currentMessage().startswith("Indexing clip.mp4")
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Right)
    assert "only frame 0" in bar.currentMessage()
    video.opener.indexing.emit(request, 6, 30)  # the opener says how far every 50 ms: it wiped the why at once
    assert "only frame 0" in bar.currentMessage()
    assert "indexing… 20%" in video.preview.timeline.frame_label.text()  # the timeline still counts
    bar.clearMessage()  # the why's time out
    video.opener.indexing.emit(request, 9, 30)
    assert bar.currentMessage().startswith("Indexing clip.mp4")
    held.release()
