"""A window closed with a video open gives its folder's lock up (`app.video.mode.VideoMode.shutdown`,
`fosp_core.video.folder_lock`): the lock file is gone and a second window of the same program opening
the video then writes it; also after the first window opened it again (two openings of one owner, the
second joined) and switched to another video and back. A regression test of the owners' shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_take_over import state_of
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.skipif(os.name != "posix", reason="as test_video_take_over")


def test_a_closed_windows_video_is_free_for_the_next(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip, other = write_clip(tmp_path / "clip.mp4", frames=12), write_clip(tmp_path / "other.mp4", frames=12)
    first: MainWindow = make_window(show=True)
    open_video(qtbot, first, clip, tmp_path)
    open_video(qtbot, first, clip, tmp_path)  # opened again: the two openings share, the first closed
    open_video(qtbot, first, other, tmp_path)
    open_video(qtbot, first, clip, tmp_path)
    lock = state_of(tmp_path) / LOCK_FILE
    assert lock.exists() and first.video.annotations is not None and not first.video.annotations.read_only
    first.close()
    assert not lock.exists()
    assert not (tmp_path / "video-state" / "video-other" / LOCK_FILE).exists()
    second: MainWindow = make_window(show=True)
    open_video(qtbot, second, clip, tmp_path)
    assert second.video.annotations is not None and not second.video.annotations.read_only
    second.video.leave()
    assert not lock.exists()
