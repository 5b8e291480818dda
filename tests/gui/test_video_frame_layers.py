"""The analysis layers (Focus Map, τ hole, background, foreground energies, prediction) of the video
frame shown, once it settles (app.video.frame_layers): the same as the image view's of that frame saved
as an image; a frame left while its layers are computed drops the answer; frames passed over by a
scrub or by playback start no full-layer run."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.gui.frame_layer_helpers import NEVER_MS, frame_2_held, open_test_clip, seek, window_with_model
from tests.gui.tiny_model import (
    WAIT_MS,
    drawn_analysis_layers,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_a_frame_s_layers_are_the_image_view_s_of_that_frame(qtbot, make_window, tiny: Path,
                                                             tmp_path: Path) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    ctl, video = window.analysis, window.video
    layers = video.frame_layers
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)  # settled on its own (SETTLE_MS)
    frame_arrays = {name: array.copy() for name, array in layers.arrays.items()}
    assert {"focus map", "hole", "separated background", "foreground energy /8", "prediction mask"} <= set(frame_arrays)
    assert drawn_analysis_layers(window)  # on the canvas over the frame
    assert ctl.layer_dock.isVisible()  # in the same Layers list...
    assert set(ctl.layer_list._arrays) == set(frame_arrays) and ctl.layer_list.empty_note.isHidden()
    window.canvas.hovered.emit(3, 4)  # ...with the same hover readout
    assert "Focus" in ctl.hover_label.text() or "focus" in ctl.hover_label.text()
    assert video.panel.layers_label.text() == "Layers: frame 0"
    assert layers.started == [0]

    rgb = video.shown_rgb.copy()
    image = tmp_path / "frame0.png"
    cv2.imwrite(str(image), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    video.leave()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([image], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    assert np.array_equal(window.session.current_image.rgb, rgb)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    image_arrays = ctl.arrays
    assert set(image_arrays) == set(frame_arrays)
    for name, array in frame_arrays.items():
        assert np.array_equal(image_arrays[name], array), name


def test_moving_on_drops_the_stale_answer(qtbot, make_window, tiny: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window, release = frame_2_held(qtbot, make_window, tiny, tmp_path, monkeypatch)
    video = window.video
    layers = video.frame_layers
    assert video.panel.layers_label.text() == "Layers: frame 0 · computing frame 2…"  # which frame's are shown
    seek(qtbot, window, 4)  # while frame 2's layers are computed
    release.set()
    qtbot.waitUntil(lambda: layers.dropped == 1 and layers._request is None, timeout=WAIT_MS)
    assert layers.frame == 0  # frame 2's answer is not drawn over frame 4
    layers.settle()
    qtbot.waitUntil(lambda: layers.frame == 4, timeout=WAIT_MS)
    assert layers.started == [0, 2, 4] and layers.dropped == 1
    seek(qtbot, window, 2)  # frame 2's answer was kept: back on it, no run
    layers.settle()
    assert layers.frame == 2 and layers.started == [0, 2, 4]


def test_scrubbing_and_playback_start_no_run_for_frames_passed_over(qtbot, make_window, tiny: Path,
                                                                    tmp_path: Path) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    video = window.video
    layers = video.frame_layers
    layers.timer.setInterval(NEVER_MS)
    open_test_clip(qtbot, window, tmp_path, frames=8)
    for index in range(1, 6):  # the timeline's slider dragged frame by frame
        with qtbot.waitSignal(video.frame_shown, timeout=10_000):
            video.timeline.slider.setValue(index)
    assert layers.started == [] and layers.timer.isActive()  # a settle pending for the last frame only
    layers.timer.setInterval(0)
    layers.timer.start()
    qtbot.waitUntil(lambda: layers.frame == 5, timeout=WAIT_MS)
    assert layers.started == [5]

    layers.timer.setInterval(NEVER_MS)
    video.seek(0)
    video.toggle_play()
    qtbot.waitUntil(lambda: not video.playback.playing and video.shown_index == 7, timeout=WAIT_MS)
    assert layers.started == [5]  # none of the frames played
    layers.settle()  # paused at the end: its frame's layers
    qtbot.waitUntil(lambda: layers.frame == 7, timeout=WAIT_MS)
    assert layers.started == [5, 7]
