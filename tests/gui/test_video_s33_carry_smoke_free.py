"""Carry (C) from a frame labelled smoke-free (Accept Prediction with no smoke predicted saves its empty mask:
"saved as a smoke-free image") to the next, unlabelled frame said "Frame 1 has that mask already: nothing to
carry" and recorded nothing: the frame stayed without a mask, not edited, and an export of the frames the
annotator had carried to and keyframed skipped it ("no mask"). Seen on the real HPWREN clip (a distant plume the
default model gives under 0.5) while annotating; the synthetic clip shows it as well. The carry is now recorded on
a frame with no mask (its empty mask saved, one undo step), as Accept Prediction records a smoke-free frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import key
from tests.gui.video_helpers import open_video


def _seek(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001 - qtbot fixture
    with qtbot.waitSignal(window.video.frame_shown, timeout=5000, check_params_cb=lambda i: i == index):
        window.video.seek(index)


def _no_smoke(rgb: np.ndarray) -> np.ndarray:
    """A stand-in network that sees no smoke anywhere."""
    return np.full(rgb.shape[:2], 0.1, np.float32)


def test_carrying_a_smoke_free_frame_labels_the_next_one_smoke_free(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    video = window.video
    notes = video.annotations
    assert notes is not None
    video.set_model(_no_smoke, "no smoke")
    # what Shift+A reads: the frame document's map, given on the GUI thread once the prediction is shown (the
    # worker fills the cache first: `video.probability()` alone raced the key under load)
    qtbot.waitUntil(lambda: video.editor.document is not None and video.editor.document.probability is not None,
                    timeout=10_000)
    key(window, "Shift+A", settle=False)
    assert notes.edited == {0}  # frame 0: smoke-free, its empty mask saved
    _seek(qtbot, window, 1)
    video.carry()
    message = window.statusBar().currentMessage()
    assert notes.edited == {0, 1}, message  # was {0}: 'Frame 1 has that mask already: nothing to carry'
    assert "smoke-free" in message and "frame 1" in message, message
    notes.finish_saves(wait=True)
    assert notes.mask_path(1).is_file() and not notes.load_mask(1).any()
    key(window, "Ctrl+Z", settle=False)  # one undo step takes it back
    notes.finish_saves(wait=True)
    assert notes.edited == {0} and not notes.mask_path(1).exists()
    key(window, "Ctrl+Shift+Z", settle=False)
    video.carry()  # again on the frame that has it: nothing changes, and it says so
    assert notes.edited == {0, 1} and "nothing" in window.statusBar().currentMessage().lower()
