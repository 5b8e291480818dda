"""A frame that cannot be decoded, as the user meets it: going to it never shows another frame's picture
under its number, and its mask cannot be painted blind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation import tools
from fosp_core.video.testclip import corrupt_mjpeg_frames, write_clip
from tests import cut_clip
from tests.gui.video_helpers import open_video
from tests.vfr_clip import marker_of

FRAMES = 16


@pytest.fixture()
def damaged(tmp_path: Path) -> Path:
    """An MJPG clip whose frames 4 and 15 (the last) cannot be decoded."""
    good = write_clip(tmp_path / "good.avi", frames=FRAMES, fps=32.0, fourcc="MJPG")
    return corrupt_mjpeg_frames(good, [4, FRAMES - 1], tmp_path / "damaged.avi")


def _fail_at(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    with qtbot.waitSignal(video.fetcher.frame_failed, timeout=5000, check_params_cb=lambda _r, i, _m: i == index):
        video.seek(index)
    qtbot.wait(50)


def test_going_to_a_damaged_frame_shows_no_other_frame(qtbot, make_window, damaged: Path, tmp_path: Path) -> None:
    """Stepping onto a frame that cannot be decoded left the previous frame's picture on the canvas while
    the timeline said "frame 4", and the tools painted frame 4's mask over frame 3's picture (the real
    HPWREN clip cut in half showed frame 63 as frames 64 to 155)."""
    window = make_window(show=True)
    open_video(qtbot, window, damaged, tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 3):
        video.seek(3)
    assert abs(marker_of(window.canvas.base.image) - 3 * 7) <= 3
    _fail_at(qtbot, window, 4)
    shown = window.canvas.base.image
    assert shown.shape[:2] == (120, 160)  # the video's size: zoom and position stay
    assert abs(marker_of(shown) - 3 * 7) > 3 and not np.array_equal(shown, video.reader.read(3))
    assert video.timeline.frame_label.text().split()[1] == "4"
    assert "4" in window.statusBar().currentMessage() and "could not be decoded" in window.statusBar().currentMessage()
    # nothing to paint on: the tools have no document, carry and accept do nothing
    assert video.document is None and window.annotation.controller.document is None
    video.carry()
    video.accept_prediction()
    assert video.annotations.edited == set()
    # the next frame is back to normal
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 5):
        video.step(1)
    assert abs(marker_of(window.canvas.base.image) - 5 * 7) <= 3
    assert video.document is not None and window.annotation.controller.document is video.document
    assert tools.brush(video.document, [(80, 60)], 6)
    assert video.annotations.edited == {5}


def test_playback_ending_on_a_damaged_last_frame_says_so(qtbot, make_window, damaged: Path, tmp_path: Path) -> None:
    """Playback skips a damaged frame (the last good one stays up), but where it stops on one, as at the
    end of a file cut short, the canvas must not keep another frame's picture."""
    window = make_window(show=True)
    open_video(qtbot, window, damaged, tmp_path)
    video = window.video
    video.toggle_play()
    qtbot.waitUntil(lambda: not video.playback.playing and FRAMES - 1 in video.failed_frames, timeout=10_000)
    qtbot.wait(100)
    assert video.index == FRAMES - 1
    shown = window.canvas.base.image
    assert abs(marker_of(shown) - (FRAMES - 2) * 7) > 3
    assert video.document is None


def _model(rgb: np.ndarray) -> np.ndarray:
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def test_a_whole_video_run_names_the_frames_it_could_not_predict(qtbot, make_window, damaged: Path,
                                                                  tmp_path: Path) -> None:
    """"Whole video predicted" (and the bar at 16 / 16) when two frames could not be decoded: half the
    HPWREN clip cut short (92 frames) said the same. The message now counts and names them."""
    window = make_window(show=True)
    open_video(qtbot, window, damaged, tmp_path)
    video = window.video
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    video.set_model(_model, "fake")
    video.predict_whole()
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=20_000)
    final = [m for m in messages if m.startswith("Whole video")]
    assert final and "2 frame(s)" in final[-1] and "4, 15" in final[-1], messages


def test_a_file_cut_short_says_so_in_the_panel(qtbot, make_window, tmp_path: Path) -> None:
    """The HPWREN clip cut in half read '156 frames' and, frame after frame, '92 frame(s) could not be
    decoded': nothing said the file had simply ended. The panel says where its data ends, and the timeline
    ends there (End goes to the last readable frame)."""
    cut = cut_clip.cut(cut_clip.write_h264_clip(tmp_path / "clip.mp4"), tmp_path / "cut.mp4", 0.5)
    window = make_window(show=True)
    open_video(qtbot, window, cut, tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == video.frame_count - 1):
        video.seek(cut_clip.FRAMES - 1)
    assert video.frame_count == video.reader.frames_in_file and video.failed_frames == set()
    info = video.panel.info_label.text()
    assert "cut short" in info and f"{cut_clip.FRAMES} frames" in info
    last = video.reader.frames_in_file - 1
    assert f"ends after frame {last}" in info
