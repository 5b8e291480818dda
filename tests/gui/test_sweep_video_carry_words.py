"""Carry Mask from Previous Frame '∩ prediction' where the prediction has no smoke under the previous mask
carries nothing: it says why (the two do not overlap; 'copy' carries the mask as is), not 'Frame 1 has that
mask already', said of a frame with no mask at all. Found by the video annotator's sweep (session 30, task N)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.tool_state import Tool
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import drag, key
from tests.gui.video_helpers import open_video


def test_an_empty_intersection_says_why_nothing_was_carried(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    video = window.video
    video.set_model(lambda rgb: np.full(rgb.shape[:2], 0.1, np.float32), "no smoke")
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    drag(window, [(40, 40), (90, 70)])  # frame 0's mask
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 1):
        video.seek(1)
    qtbot.waitUntil(lambda: video.probability() is not None, timeout=10_000)
    video.panel.carry_mode.setCurrentIndex(video.panel.carry_mode.findData("intersect"))
    key(window, "C")
    assert video.document is not None and not video.document.mask.any()
    said = window.statusBar().currentMessage()
    assert "has that mask already" not in said
    assert said.startswith("Nothing carried to frame 1: the mask of frame 0 and the prediction of frame 1 "
                           "(above the mask threshold 0.5) do not overlap")
    assert "'copy' carries it as is" in said
