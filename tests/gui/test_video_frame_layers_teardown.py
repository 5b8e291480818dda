"""The video frame layers at teardown (app.video.frame_layers): their own copy of the video's model is let
go as video mode ends (it stayed loaded all session long beside the copy the video keeps, tens of MB for
fosp-s, ~180 MB for MiT-B3) and loaded again at the next settled frame; and their slot on the video's
model source goes with them (a lambda with no receiver outlived them: 'Internal C++ object (QTimer)
already deleted' when the video's model changed after)."""

from __future__ import annotations

import gc
import sys
import traceback
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication

from app.video.frame_layers import FrameLayers
from fosp_core.video.testclip import write_clip
from tests.gui.frame_layer_helpers import open_clip_with_model, window_with_model
from tests.gui.tiny_model import (
    WAIT_MS,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_the_layers_model_goes_as_video_mode_ends_and_comes_back(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    layers = window.video.frame_layers
    clip = write_clip(tmp_path / "clip.mp4", frames=4)
    open_clip_with_model(qtbot, window, clip, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)  # settled on its own (SETTLE_MS)
    worker = layers.worker
    assert worker is not None and worker._engine.predictor is not None
    module = weakref.ref(worker._engine.predictor.model)
    loaded: list[int] = []  # loads answered from here on
    worker.loaded.connect(lambda request_id, _model: loaded.append(request_id))

    window.video.leave()  # back to the images
    with qtbot.waitSignal(worker.devices, timeout=WAIT_MS):  # answered after what was asked before it
        worker.list_devices()
    gc.collect()
    assert module() is None  # the layers' copy went (it stayed all session long)
    assert layers.model is None and worker._engine.predictor is None and layers.unloads == 1 and loaded == []
    assert window.video.models.fn is not None  # the video keeps its own copy for reuse

    open_clip_with_model(qtbot, window, clip, tmp_path)  # a settled frame loads it again
    qtbot.waitUntil(lambda: layers.frame == 0 and layers.model is not None, timeout=WAIT_MS)
    assert len(loaded) == 1 and layers.loads == 2 and layers.worker is worker
    assert worker._engine.predictor is not None


class _Source(QObject):
    ready = Signal(object, str)


class _Playback(QObject):
    playing_changed = Signal(bool)
    playing = False


class _Canvas(QObject):
    hovered = Signal(int, int)


class _Window(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.canvas = _Canvas(self)


class _Mode(QObject):
    """What FrameLayers binds to of a video view, active (a video open)."""

    frame_shown = Signal(int)
    active = True

    def __init__(self) -> None:
        super().__init__()
        self.window = _Window()
        self.playback = _Playback(self)
        self.models = _Source(self)


def test_the_layers_slot_on_the_video_model_goes_with_them(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    raised: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: raised.append(
        "".join(traceback.format_exception(kind, value, tb))))
    mode = _Mode()
    layers = FrameLayers(mode)  # type: ignore[arg-type]
    mode.models.ready.emit(None, "a")
    assert layers.timer.isActive()  # another model: the frame's layers once it settles
    layers.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    mode.models.ready.emit(None, "b")  # the video's model changes after the layers went
    assert raised == [], raised[0] if raised else ""
