"""In video mode the status bar's place readout still said "1 / 4", the place of the image behind the video
(the demo's 4 photos): it now says the frame shown ("frame 3 / 11", as the timeline counts), and the image's
place again once the window is back on the images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def test_the_place_readout_counts_frames_in_video_mode(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(4):
        Image.fromarray(np.full((24, 32, 3), 40 * i, np.uint8)).save(photos / f"p{i}.png")
    clip = write_clip(tmp_path / "clip.mp4", frames=12, fps=24.0)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([photos], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10_000)
    place = window.readouts.position
    assert place.text() == "1 / 4"
    open_video(qtbot, window, clip, tmp_path)
    assert "1 / 4" not in place.text() or not place.isVisible(), place.text()
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.video.seek(3)
    assert place.text() == "frame  3 / 11", place.text()
    window._update_navigation()  # the window sets the images' place (the images behind changed)
    assert place.text() == "frame  3 / 11", place.text()
    window.video.leave()
    qtbot.waitUntil(lambda: place.text() == "1 / 4", timeout=5_000)
