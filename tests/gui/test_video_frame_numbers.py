"""Every frame number the user sees counts from 0, as CVAT does: the timeline's "frame i / last"
label, Go to Frame, the keyframe list, the tools' "frame i" and the exported sample ids agree."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import frame_id


def _open(qtbot, window: MainWindow, path: Path, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)


def _trigger(qtbot, window: MainWindow, text: str, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == index):
        next(a for a in video.actions if a.text() == text).trigger()


def test_frame_numbers_count_from_zero_everywhere(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=24), tmp_path)
    video = window.video
    timeline = video.timeline
    assert timeline.frame_label.text().split() == ["frame", "0", "/", "23"]  # first of frames 0..23

    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 17):
        timeline.frame_box.setValue(17)  # Go to frame 17
    shown = timeline.frame_label.text().split()
    assert shown == ["frame", "17", "/", "23"] and int(shown[1]) == timeline.frame_box.value() == video.index
    assert window.annotation.controller.attached_key == "frame 17"
    assert video.document.image_id == frame_id(video.annotations.stem, 17)  # the id an export writes

    video.toggle_keyframe()
    assert video.panel.keyframe_list.item(0).text().split()[:2] == ["frame", "17"]

    _trigger(qtbot, window, "Last Frame", 23)
    assert timeline.frame_label.text().split() == ["frame", "23", "/", "23"]
    assert timeline.frame_box.maximum() == 23
    _trigger(qtbot, window, "First Frame", 0)
    assert timeline.frame_label.text().split() == ["frame", "0", "/", "23"] and timeline.frame_box.minimum() == 0
