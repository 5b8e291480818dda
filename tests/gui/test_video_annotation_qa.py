"""QA of annotating video frames: carry, accept prediction, keyframes, undo, reopen, export."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow
from fosp_core.data.types import SMOKE
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _seek(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    with qtbot.waitSignal(window.video.frame_shown, timeout=5000, check_params_cb=lambda i: i == index):
        window.video.seek(index)


def _paint(doc, rows: slice, cols: slice) -> None:  # noqa: ANN001 - an AnnotationDocument
    mask = doc.mask.copy()
    mask[rows, cols] = SMOKE
    doc.replace_mask(mask, label="paint")


def test_undo_of_a_frame_survives_going_to_another_frame_and_back(qtbot, make_window, tmp_path: Path) -> None:
    # as on images ("the last 8 images keep their history"): paint frame 0, look at frame 1, come
    # back and undo the stroke
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    _paint(video.document, slice(10, 40), slice(20, 60))
    _seek(qtbot, window, 1)
    _seek(qtbot, window, 0)
    assert video.document.can_undo and window.annotation.actions.undo.isEnabled()
    video.panel.undo_button.click()
    assert not (video.document.mask == SMOKE).any()
    # the undo is saved like any edit: back as opened, the frame has no mask and no edited mark again
    assert video.annotations.load_mask(0) is None and video.annotations.edited == set()


def test_a_video_whose_state_file_a_crash_damaged_still_opens_with_its_masks(qtbot, make_window,
                                                                             tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    _paint(video.document, slice(10, 40), slice(20, 60))
    video.toggle_keyframe()
    state = video.annotations.folder / "video.json"
    video.leave()
    state.write_bytes(b'{"format": "fosp-vid')  # cut short
    open_video(qtbot, window, clip, tmp_path)  # was: "Could not open clip.mp4: unreadable annotation state"
    assert video.active and video.annotations.edited == {0}
    assert (video.document.mask == SMOKE).sum() == 30 * 40
    assert "video.json was damaged" in window.statusBar().currentMessage()
    assert not window.services.error_reporter.errors


def test_carry_against_the_prediction_says_when_the_frame_has_none(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    video.set_model(None)
    _paint(video.document, slice(10, 40), slice(20, 60))
    _seek(qtbot, window, 1)
    video.panel.carry_mode.setCurrentIndex(video.panel.carry_mode.findData("intersect"))
    video.carry()
    # carried as is (a starting point), but the user asked for "∩ prediction" and must know it was not
    assert (video.document.mask == SMOKE).sum() == 30 * 40
    assert "no prediction" in window.statusBar().currentMessage().lower()


def test_carry_says_what_it_did(qtbot, make_window, tmp_path: Path) -> None:
    """C (Carry from previous) changed the frame without a word: the status bar went on saying what came
    before ("Accept prediction: done" after accepting the previous frame's prediction)."""
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    _paint(video.document, slice(10, 40), slice(20, 60))
    window.statusBar().showMessage("Accept prediction: done")
    _seek(qtbot, window, 1)
    video.carry()
    assert (video.document.mask == SMOKE).sum() == 30 * 40
    message = window.statusBar().currentMessage()
    assert "frame 0" in message and "frame 1" in message and "carried" in message.lower()
    video.carry()  # again: nothing changes, and it says so
    assert "nothing" in window.statusBar().currentMessage().lower()


def test_carry_from_a_damaged_mask_says_so(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    _paint(video.document, slice(10, 40), slice(20, 60))
    video.annotations.finish_saves(wait=True)  # its PNG written by the save thread: damaged after that
    video.annotations.mask_path(0).write_bytes(b"\x89PNG damaged")
    _seek(qtbot, window, 1)
    video.carry()  # raised VideoAnnotationError out of the shortcut's slot
    assert "cannot carry the mask of frame 0" in window.statusBar().currentMessage().lower()
    assert not video.document.mask.any()
