"""A long video shows its frame 0 while its packets are indexed (docs/benchmarks-video.md, "The first frame
while a video is indexed"): only frame 0's number is certain before the scan ends, so the canvas shows it
with the annotation tools detached from every document (a stroke is refused, saying why), the frame keys
held (they say why) and the video or image open before left as it was behind it; once the index is in the
video opens as always (on frame 0, or on the frame it was left on), and Cancel shows what was there before.
The scan is held (tests/held_scan.py), so the preview lasts as long as the test wants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from fosp_core.video import reader as reader_module
from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window, drag
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

WAIT_MS = 10_000


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))


def frame0(path: Path) -> np.ndarray:
    """The file's frame 0 as a reader of its own decodes it at its probe (its scan stopped at once)."""
    reader = VideoFileReader(path)
    try:
        return reader.read(0).copy()
    finally:
        reader.close()


def shown(window: MainWindow) -> np.ndarray:
    return np.asarray(window.canvas.base.image)


def previewing(qtbot, window: MainWindow, path: Path) -> None:  # noqa: ANN001
    """Open `path` (its scan held) and wait for its frame 0 on the canvas."""
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.video.preview.active, timeout=WAIT_MS)


def mask_sum(window: MainWindow) -> int:
    doc = window.annotation.controller.document
    return -1 if doc is None else int(doc.mask.sum())


def test_frame0_is_shown_while_indexing_with_tools_and_keys_held_then_the_video_opens(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    held = HeldScan(monkeypatch)  # first: an unheld scan of frame0's reader may index the file for the process
    expected = frame0(clip)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video = window.video
    video.state_root = tmp_path / "video-state"
    previewing(qtbot, window, clip)
    np.testing.assert_array_equal(shown(window), expected)
    assert not video.active and video.opening == clip and held.raised == []  # nothing read but frame 0
    assert "clip.mp4" in window.windowTitle() and "indexing" in window.windowTitle()
    qtbot.waitUntil(lambda: "Indexing clip.mp4" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert video.preview.cancel_button.isVisible()
    # the tools edit nothing: a stroke is refused and says why
    controller = window.annotation.controller
    assert controller.attached and controller.document is None
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(20, 20), (60, 40)], settle=False)
    assert "being indexed" in window.statusBar().currentMessage()
    # the frame keys are held and say why
    assert not any(action.isEnabled() for action in video.actions)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Right)
    assert "only frame 0" in window.statusBar().currentMessage()
    assert video.index == 0 and video.frame_count == 0
    held.release()
    qtbot.waitUntil(lambda: video.active and video.shown_index == 0, timeout=WAIT_MS)
    assert not video.preview.active and not video.preview.cancel_button.isVisible()
    assert "indexing" not in window.windowTitle() and video.frame_count == 30
    assert all(action.isEnabled() for action in video.actions)
    assert controller.document is video.document is not None
    drag(window, [(20, 20), (60, 40)])  # the tools edit frame 0 now
    assert mask_sum(window) > 0
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 1):
        QTest.keyClick(window.canvas, Qt.Key.Key_Right)


def test_the_video_opens_on_the_frame_it_was_left_on_once_indexed(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    held = HeldScan(monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.video.last_frames.remember(clip, 12)
    previewing(qtbot, window, clip)
    np.testing.assert_array_equal(shown(window), frame0(clip))
    held.release()
    qtbot.waitUntil(lambda: window.video.shown_index == 12, timeout=WAIT_MS)
    assert window.video.index == 12 and "back on frame 12" in window.statusBar().currentMessage()


def test_cancel_shows_the_video_open_before_on_its_frame_with_its_edits(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    first = write_clip(tmp_path / "first.mp4", frames=20, size=(128, 96))
    window = make_window(show=True)
    video, controller = window.video, window.annotation.controller
    open_video(qtbot, window, first, tmp_path)
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 5):
        video.seek(5)
    before, title = shown(window).copy(), window.windowTitle()
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(20, 20), (60, 40)])
    painted = mask_sum(window)
    assert painted > 0
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    np.testing.assert_array_equal(shown(window), frame0(clip))
    assert controller.document is None and not video.timeline.isEnabled() and not video.playback.playing
    drag(window, [(70, 20), (100, 60)], settle=False)  # refused: it would land on first.mp4's frame 5
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 5):
        video.panel.opening_cancel.click()
    assert not video.preview.active and video.opening is None
    np.testing.assert_array_equal(shown(window), before)
    assert window.windowTitle() == title and video.timeline.isEnabled()
    assert all(action.isEnabled() for action in video.actions)
    assert controller.document is video.document is not None and mask_sum(window) == painted
    assert video.annotations is not None and video.annotations.document(5).mask.sum() == painted
    held.release()


def test_cancel_shows_the_image_open_before_and_gives_the_tools_back_to_it(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    controller = window.annotation.controller
    image, doc = shown(window).copy(), controller.document
    assert doc is not None and window.action_next.isEnabled()
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    assert controller.document is None and not window.action_next.isEnabled()
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)  # Esc cancels, as the button
    qtbot.waitUntil(lambda: not window.video.preview.active, timeout=WAIT_MS)
    np.testing.assert_array_equal(shown(window), image)
    assert controller.document is doc and not controller.attached and window.action_next.isEnabled()
    assert not window.video.active
    held.release()


@pytest.mark.parametrize("outcome", ["raises", "untold"])
def test_a_scan_that_fails_opens_the_video_by_its_header_after_the_preview(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch, outcome: str) -> None:  # noqa: ANN001
    held = HeldScan(monkeypatch)
    held_scan = reader_module.scan_stream

    def failing(*args: object, **kwargs: object) -> object:
        held_scan(*args, **kwargs)  # held until released
        if outcome == "raises":
            raise RuntimeError("a packet the demuxer chokes on")
        return None  # the packets do not tell

    monkeypatch.setattr(reader_module, "scan_stream", failing)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    previewing(qtbot, window, clip)
    np.testing.assert_array_equal(shown(window), frame0(clip))
    held.release()
    qtbot.waitUntil(lambda: window.video.active and window.video.shown_index == 0, timeout=WAIT_MS)
    assert window.video.frame_count == 30 and window.video.reader.stream_index() is None
    assert not window.video.preview.active
