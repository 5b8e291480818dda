"""A video opened again resumes on the frame last shown from it (another video or images in between, or
the app closed), as a folder resumes on its image. Found playing a video annotator's day (QA, task Q2):
switching to another video and back put the annotator on frame 0 of 156."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def test_a_video_opened_again_resumes_on_its_last_frame(qtbot, make_window, settings_path: Path,
                                                       tmp_path: Path) -> None:
    first = write_clip(tmp_path / "first.mp4", frames=40)
    other = write_clip(tmp_path / "other.mp4", frames=20)
    window = make_window(show=True)
    open_video(qtbot, window, first, tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 30):
        video.seek(30)
    open_video(qtbot, window, other, tmp_path)
    assert video.index == 0  # a video never opened starts at its first frame
    open_video(qtbot, window, first, tmp_path)
    qtbot.waitUntil(lambda: video.shown_index == 30, timeout=5000)
    assert video.index == 30 and video.timeline.frame_box.value() == 30
    assert "frame 30" in window.statusBar().currentMessage()
    window.close()  # the app closed on frame 30 of `first`
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    again = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    qtbot.addWidget(again)
    again.show()
    open_video(qtbot, again, first, tmp_path)
    qtbot.waitUntil(lambda: again.video.shown_index == 30, timeout=5000)


def test_a_remembered_frame_past_a_shorter_file_s_end_goes_to_its_last(qtbot, make_window, tmp_path: Path) -> None:
    """The file replaced by a shorter one (re-encoded, cut): its last frame, not an error."""
    clip = write_clip(tmp_path / "clip.mp4", frames=40)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 35):
        video.seek(35)
    video.leave()
    write_clip(clip, frames=12)
    open_video(qtbot, window, clip, tmp_path)
    qtbot.waitUntil(lambda: video.shown_index == 11, timeout=5000)
