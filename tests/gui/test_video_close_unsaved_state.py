"""Closing the window while the open video's ``video.json`` cannot be written (a full disk): asked Retry /
Discard / Cancel, as images' unsaved edits are (`app.video.frame_editing.FrameEditor.confirm_close`). Cancel
keeps the window open; Retry once the disk has room writes it and closes; Discard closes without it and
tells no loss again. (It used to warn only, after the window had decided to close.)"""

from __future__ import annotations

from pathlib import Path

from app.annotation.close_question import CloseChoice
from fosp_core.video.errors import VideoAnnotationError
from tests.gui.test_hostile_video_keyframe_full_disk import FullDisk, disk  # noqa: F401 - the fixture
from tests.gui.video_helpers import open_video


def _answers(full: FullDisk, *choices: CloseChoice) -> list[str]:
    """Answer the close question with `choices` in turn (the disk freed before a Retry); the reasons asked with."""
    asked: list[str] = []
    queue = list(choices)

    def ask(_parent: object, error: VideoAnnotationError) -> CloseChoice:
        asked.append(error.reason)
        choice = queue.pop(0)
        if choice is CloseChoice.RETRY:
            full.full = False
        return choice

    full.window.video.editor.ask_close = ask
    return asked


def test_cancel_keeps_the_window_open_then_retry_saves_and_closes(qtbot, make_window, tmp_path: Path,
                                                                  disk: FullDisk) -> None:  # noqa: F811
    window = disk.window
    window.video.toggle_keyframe()  # frame 0, not saved: the disk is full
    shown = set(window.video.annotations.keyframes)
    asked = _answers(disk, CloseChoice.CANCEL, CloseChoice.RETRY)
    assert not window.close()  # cancelled: all stays as it was
    assert window.isVisible() and window.video.annotations is not None and len(asked) == 1
    assert "disk full" in asked[0]
    assert window.close()  # asked again: Retry, the disk has room now
    assert len(asked) == 2 and len(disk.told) == 1  # no "are lost" afterwards
    again = make_window(show=True)
    open_video(qtbot, again, disk.clip, tmp_path)
    assert again.video.annotations.keyframes == shown


def test_discard_closes_without_telling_a_loss_again(qtbot, make_window, tmp_path: Path,
                                                     disk: FullDisk) -> None:  # noqa: F811
    window = disk.window
    window.video.toggle_keyframe()
    asked = _answers(disk, CloseChoice.DISCARD)
    assert window.close()
    assert len(asked) == 1 and len(disk.told) == 1  # the first failure's dialog only
    disk.full = False
    again = make_window(show=True)
    open_video(qtbot, again, disk.clip, tmp_path)
    assert again.video.annotations.keyframes == set()
