"""The edited mark of a video frame follows undo and redo: undoing back to the mask the frame had
when its document was opened gives the frame back the mark it had then (none for a frame nobody had
edited: no mark on the timeline, no saved mask, not exported as edited); redo marks it again."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from fosp_core.data.types import SMOKE
from fosp_core.video.export import choose_frames
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.gui.annotation_helpers import drag, key


def _open(qtbot, window: MainWindow, path: Path, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)


def _seek(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    with qtbot.waitSignal(window.video.frame_shown, timeout=5000, check_params_cb=lambda i: i == index):
        window.video.seek(index)


def _timeline_edited(window: MainWindow) -> list[int]:
    """The frames the timeline draws an edited mark on."""
    x, _y = window.video.timeline.edited_marks.getData()
    return sorted(int(v) for v in x)


def _paint(window: MainWindow, y: int = 30) -> None:
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    drag(window, [(30, y), (60, y + 10), (90, y + 20)])


def test_undo_back_to_the_opened_mask_unmarks_the_frame_and_redo_marks_it(qtbot, make_window,
                                                                         tmp_path: Path) -> None:
    window = make_window(show=True)
    _open(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    _seek(qtbot, window, 3)
    doc = video.document
    _paint(window)
    assert (doc.mask == SMOKE).any()
    assert video.annotations.edited == {3} and _timeline_edited(window) == [3]
    _paint(window, y=80)  # a second stroke: one undo is not yet back to the opened mask
    key(window, "Ctrl+Z")
    assert (doc.mask == SMOKE).any() and _timeline_edited(window) == [3]

    key(window, "Ctrl+Z")  # back to the frame as it was opened: nobody edited it
    assert not doc.mask.any()
    assert video.annotations.edited == set() and _timeline_edited(window) == []
    video.annotations.finish_saves(wait=True)  # the save thread removes the files after the frame's pending write
    assert not video.annotations.mask_path(3).is_file()  # no empty mask left to count it as edited
    assert choose_frames(video.annotations, "edited") == []
    reopened = VideoAnnotations(video.annotations.video, 12, doc.shape, folder=video.annotations.folder)
    assert reopened.edited == set()  # the state file says so too

    key(window, "Ctrl+Shift+Z")  # redo marks it again, and saves the mask
    assert (doc.mask == SMOKE).any()
    assert video.annotations.edited == {3} and _timeline_edited(window) == [3]
    np.testing.assert_array_equal(video.annotations.load_mask(3), doc.mask)

    # the same after looking at another frame: the document (and its history) is kept
    _seek(qtbot, window, 4)
    _seek(qtbot, window, 3)
    key(window, "Ctrl+Z")
    assert video.annotations.edited == set() and _timeline_edited(window) == []


def test_undo_keeps_the_mark_of_a_frame_edited_before_it_was_opened(qtbot, make_window, tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    _open(qtbot, window, clip, tmp_path)
    video = window.video
    _paint(window)  # frame 0, in an earlier session
    earlier = video.document.mask.copy()
    window.video.close_video()

    _open(qtbot, window, clip, tmp_path)  # a new session: frame 0 opens edited, with a fresh history
    doc = video.document
    assert video.annotations.edited == {0} and not doc.can_undo
    window.annotation.actions.tools[Tool.ERASER].trigger()
    drag(window, [(30, 30), (90, 50)])
    assert not np.array_equal(doc.mask, earlier)
    key(window, "Ctrl+Z")
    np.testing.assert_array_equal(doc.mask, earlier)
    assert video.annotations.edited == {0} and _timeline_edited(window) == [0]  # edited before: still
    np.testing.assert_array_equal(video.annotations.load_mask(0), earlier)
