"""A layer ticked on an image just before a video opens: its map, made on the canvas's worker
(:class:`~app.analysis.deferred_overlays.DeferredOverlays`), landed after video mode had put the image's
layers away, and the drawing showed its item again (``style_layer``: visible as the layer is ticked): the
hidden image's Focus Map drawn over the video frame. It is drawn on its item, left hidden until image mode."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.analysis import layer_drawing
from app.video.frame_layers import FrameLayers
from tests.gui.test_video_day_analysis_idle import _open_video
from tests.gui.tiny_model import (
    WAIT_MS,
    drawn_analysis_layers,
    ready_window,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_a_map_drawn_after_a_video_opened_stays_off_the_frame(qtbot, make_window, tiny: Path, demo_dir: Path,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FrameLayers, "settle", lambda _self: None)  # no frame's own layers: all drawn is the image's
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None
                    and not ctl._metrics_timer.isActive(), timeout=WAIT_MS)
    assert not ctl.layers["focus map"].visible
    started, release = threading.Event(), threading.Event()
    full = layer_drawing.LayerDrawing.full

    def held(self: layer_drawing.LayerDrawing) -> layer_drawing.DrawnLayer:
        started.set()
        release.wait(10)
        return full(self)

    monkeypatch.setattr(layer_drawing.LayerDrawing, "full", held)
    ctl.layers.set_visible("focus map", True)  # its map asked of the canvas's worker, held there
    assert started.wait(10) and ctl.overlays.pending == {"focus map"}
    _open_video(qtbot, window, tmp_path)
    assert drawn_analysis_layers(window) == []
    release.set()
    qtbot.waitUntil(lambda: not ctl.overlays.pending, timeout=WAIT_MS)  # drawn (on its item)
    qtbot.wait(50)
    assert drawn_analysis_layers(window) == []  # nothing of the image over the frame

    window.video.leave()  # image mode: the image's layers as ticked, the focus map among them
    qtbot.waitUntil(lambda: "analysis:focus map" in drawn_analysis_layers(window) and not ctl.overlays.pending
                    and not ctl._runs, timeout=WAIT_MS)
    assert window.canvas.overlay("analysis:focus map").image is not None
