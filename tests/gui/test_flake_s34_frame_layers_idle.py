"""The video frame's own layers and the image analysis idle behind the video, together.

tests/gui/test_video_day_analysis_idle.py asserts that nothing of the hidden image is drawn over the frame
with the frame's own layers (:mod:`app.video.frame_layers`) kept off: under load they came, on the same
canvas items, at no step that test waited for (after the frame settled and their copy of the model loaded)
and it failed once in a whole-suite run, with the frame's layers taken for the image's. Here they are on, and
waited for: what is drawn over the frame after the τ, threshold, region-rule and model moves is the frame's
layers, at the frame's size and the τ of now, and the image's own result and scores stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.analysis.results import tau_key
from tests.gui.test_video_day_analysis_idle import _open_video, _scores, _settle
from tests.gui.tiny_model import (
    WAIT_MS,
    drawn_analysis_layers,
    ready_window,
    save_tiny_checkpoint,
    spy_runs,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_what_is_drawn_over_the_frame_is_the_frames_layers_not_the_images(qtbot, make_window, tiny: Path,
                                                                          demo_dir: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None
                    and not ctl._metrics_timer.isActive(), timeout=WAIT_MS)
    shown, scores, layers = ctl.prediction, _scores(window), drawn_analysis_layers(window)
    image_shape = shown.shape
    _open_video(qtbot, window, tmp_path)
    asked, frames = spy_runs(ctl, monkeypatch), window.video.frame_layers

    s = ctl.settings
    s.set_threshold(0.2 if s.threshold > 0.3 else 0.6)
    s.set_keep("area:4")
    s.set_tau(0.4 if s.tau < 0.3 else 0.1)
    _settle(qtbot, ctl)
    ctl.load_model()
    _settle(qtbot, ctl)
    ctl.run_current()
    _settle(qtbot, ctl)
    qtbot.waitUntil(lambda: frames.prediction is not None and tau_key(frames.prediction.tau) == tau_key(s.tau)
                    and frames._computing is None and frames._load_request is None
                    and not frames.timer.isActive(), timeout=WAIT_MS)  # the frame's layers at the τ of now
    _settle(qtbot, ctl)
    frame_shape = window.video.shown_rgb.shape[:2]
    assert frame_shape != image_shape[:2]  # (what is drawn tells whose it is)

    assert asked == [] and drawn_analysis_layers(window) == layers  # the same layers ticked, of the frame:
    assert ctl.overlays.arrays is frames.arrays
    assert [window.canvas.overlay(name).image.shape[:2] for name in layers] == [frame_shape] * len(layers)
    assert ctl.prediction is shown and _scores(window) == scores  # the image's own result and scores as they were
    window.canvas.hovered.emit(3, 3)  # the mouse over the frame: the frame's values
    assert ctl.hover_label.isVisible() and ctl.hover_label.text().startswith("p ")
