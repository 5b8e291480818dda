"""Playing and stepping through a video whose frames decode slower than they are due (a big file, a
busy machine, the model predicting meanwhile): the picture keeps moving and always shows the frame
whose number the timeline says, and no key press is lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

DECODE_S = 0.06  # slower than a 25 fps frame (40 ms)


def _slow_decoding(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = window.video.fetcher.reader  # type: ignore[union-attr]
    read = reader.read

    def slow(index: int):  # noqa: ANN202
        time.sleep(DECODE_S)
        return read(index)

    monkeypatch.setattr(reader, "read", slow)


def _marker(window: MainWindow) -> int:
    return int(window.canvas.base.image[2:14, 2:14].mean())  # write_clip's frame number block


def test_playback_slower_to_decode_than_the_frame_rate_still_moves(qtbot, make_window, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=20, fps=25.0), tmp_path)
    video = window.video
    _slow_decoding(window, monkeypatch)
    seen: list[tuple[int, str, int]] = []  # (frame shown, timeline's frame number, picture's marker)
    video.frame_shown.connect(lambda i: seen.append((i, video.timeline.frame_label.text().split()[1], _marker(window))))
    video.toggle_play()
    qtbot.waitUntil(lambda: not video.playback.playing and video.shown_index == 19, timeout=10_000)
    shown = [i for i, _, _ in seen]
    assert len(shown) >= 4 and shown == sorted(shown)  # it played (every result was dropped: [19] alone)
    for index, label, marker in seen:
        assert label == str(index) and abs(marker - index * 7) <= 3  # the picture is the frame it says


def test_steps_pressed_while_a_frame_decodes_are_all_taken(qtbot, make_window, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=20), tmp_path)
    video = window.video
    _slow_decoding(window, monkeypatch)
    step = next(a for a in video.actions if a.text() == "Next Frame")
    for _ in range(4):  # faster than a frame decodes: a held-down arrow key
        step.trigger()
    qtbot.waitUntil(lambda: video.shown_index == 4, timeout=5000)
    assert video.timeline.frame_label.text().split()[1] == "4" and abs(_marker(window) - 28) <= 3
    assert window.annotation.controller.attached_key == "frame 4"
