"""A video frame whose saved mask is read off the GUI thread (`app.video.frame_opening`) may have its analysis
layers shown before the read lands: they then had no "ground truth" layer, nor got one when the document came.
Now its label layers follow the document once it lands (`FrameLayers.document_opened`). The read is held on an
Event (`tests.gui.dead_disk.DeadDisk`); no wall-clock assert."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.video import frame_opening
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations
from tests.gui.dead_disk import DeadDisk
from tests.gui.frame_layer_helpers import open_clip_with_model, seek, window_with_model
from tests.gui.test_stall_s36_video_frame_mask import SAVED, _blob, _held_for
from tests.gui.tiny_model import (
    WAIT_MS,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_layers_shown_before_the_read_lands_get_its_ground_truth(  # noqa: ANN001
        qtbot, make_window, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    video = window.video
    layers = video.frame_layers
    clip = write_clip(tmp_path / "clip.mp4", frames=6)
    open_clip_with_model(qtbot, window, clip, tmp_path)
    seek(qtbot, window, SAVED)
    assert video.document is not None and video.document.replace_mask(_blob(video.document.shape), label="test")
    seek(qtbot, window, 0)
    video.leave()
    open_clip_with_model(qtbot, window, clip, tmp_path)  # frame SAVED's document not kept: showing it reads it
    disk, calls = DeadDisk(10.0), []
    monkeypatch.setattr(VideoAnnotations, "load_mask", _held_for(disk, SAVED, calls))
    monkeypatch.setattr(frame_opening, "READ_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the disk outlasts
    try:
        seek(qtbot, window, SAVED)
        assert video.document is None and calls == [False]
        layers.settle()
        qtbot.waitUntil(lambda: layers.frame == SAVED, timeout=WAIT_MS)
        assert "ground truth" not in layers.arrays  # no document yet: nothing to compare
    finally:
        disk.released.set()
    qtbot.waitUntil(lambda: video.document is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "ground truth" in layers.arrays, timeout=5000)  # was: never, until the next commit
    np.testing.assert_array_equal(layers.arrays["ground truth"], _blob(video.document.shape) == 1)
    assert layers.started.count(SAVED) == 1  # its layers not computed again
