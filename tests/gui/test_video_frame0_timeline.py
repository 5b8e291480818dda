"""The Timeline dock while a long video's frame 0 is shown during its packet scan (app.video.preview): it
shows the new video's timeline limited to frame 0 and saying it is being indexed (how far, once the scan
says), not the video open before (nor nothing, from images); the index in, the video's full readable count;
Cancel, the timeline of what was open before, untouched meanwhile by that video's own updates. The scan is
held (tests/held_scan.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from app.video.timeline_widget import TimelineWidget
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window
from tests.gui.test_video_frame0_preview import previewing
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

WAIT_MS = 10_000


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))


def shown_timeline(window: MainWindow) -> TimelineWidget:
    """The timeline the Timeline dock shows now."""
    dock = window.video.timeline_dock
    assert dock.isVisible()
    shown = [t for t in dock.findChildren(TimelineWidget) if t.isVisible()]
    assert len(shown) == 1
    return shown[0]


def frame0_only(timeline: TimelineWidget) -> None:
    assert timeline.frame_count == 1 and timeline.slider.maximum() == 0 and timeline.frame_box.maximum() == 0
    assert timeline.slider.value() == 0 and "indexing" in timeline.frame_label.text()
    assert not timeline.isEnabled()  # its keys, buttons and plot would act on the video behind


def test_from_images_the_new_videos_timeline_is_frame0_indexing_then_its_full_count(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    video = window.video
    assert not video.timeline_dock.isVisible()
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    timeline = shown_timeline(window)
    frame0_only(timeline)
    assert video.opening is not None
    request = video._opening[0]  # noqa: SLF001 - the scan's progress, as the opener reports it
    video.opener.indexing.emit(request, 12, 48)
    assert "indexing… 25%" in timeline.frame_label.text()
    held.release()
    qtbot.waitUntil(lambda: video.active and video.shown_index == 0, timeout=WAIT_MS)
    timeline = shown_timeline(window)
    assert timeline is video.timeline and timeline.isEnabled()
    assert timeline.frame_count == 30 and timeline.slider.maximum() == 29
    assert timeline.frame_label.text() == "frame  0 / 29" and "indexing" not in timeline.frame_label.text()


def test_cancel_from_images_puts_the_timeline_away_again(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    window.video.state_root = tmp_path / "video-state"
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    frame0_only(shown_timeline(window))
    window.video.cancel_open(say=True)
    assert not window.video.timeline_dock.isVisible() and window.image_dock.isVisible()
    held.release()


def test_over_a_video_the_new_timeline_is_shown_and_cancel_shows_the_first_ones_as_it_was(
        qtbot, make_window, tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    first = write_clip(tmp_path / "first.mp4", frames=20, size=(128, 96))
    window = make_window(show=True)
    video = window.video
    open_video(qtbot, window, first, tmp_path)
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 5):
        video.seek(5)
    video.toggle_keyframe()
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    timeline = shown_timeline(window)
    frame0_only(timeline)
    # the video behind goes on updating its own timeline (a mark, an undecodable frame): not this one
    video.editor.update_marks()
    video.note_undecodable(7)
    assert len(timeline.keyframe_marks.data) == 0 and len(timeline.failed_marks.data) == 0
    frame0_only(timeline)
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS, check_params_cb=lambda i: i == 5):
        video.cancel_open(say=True)
    timeline = shown_timeline(window)
    assert timeline is video.timeline and timeline.isEnabled() and timeline.frame_count == 20
    assert timeline.slider.value() == 5 and list(timeline.keyframe_marks.data["x"]) == [5]
    assert np.isclose(list(timeline.failed_marks.data["x"]), [7]).all()
    held.release()
