"""While a video is open the image analysis stays idle: a τ, threshold or region-rule move, a model
(re)loading, a Run on All finishing, another image becoming current, or the mouse over the frame
neither ran the model on the image hidden behind the video nor drew its layers over the frame nor
changed its scores or hover readout (they did: the analysis view followed each of them as in image
mode). Back in image mode the view is brought up to date, as it would have been.

The video frame's own layers (:mod:`app.video.frame_layers`) are not computed here (`no_frame_layers`): they
are drawn on the same canvas items as the image's, once the frame has settled and their copy of the model
has loaded, at no step these tests wait for (before or after the asserts, by the machine's load: a whole-suite
run under load failed so). With them, tests/gui/test_flake_s34_frame_layers_idle.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from app.video.frame_layers import FrameLayers
from fosp_core.analysis.layers import thresholded_arrays
from fosp_core.analysis.results import tau_key
from fosp_core.video.testclip import write_clip
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import (
    WAIT_MS,
    drawn_analysis_layers,
    hold_first_image,
    ready_window,
    save_tiny_checkpoint,
    spy_runs,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input", "no_frame_layers")  # frames at the tiny input


@pytest.fixture
def no_frame_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The frame shown never settles for its own layers (the windows made from now on; see module doc):
    whatever analysis layer is drawn over the frame is then the hidden image's."""
    monkeypatch.setattr(FrameLayers, "settle", lambda _self: None)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _scores(window: MainWindow) -> list[str]:
    box = window.analysis.metrics
    return [box.value(row, "IoU") for row in ("this image", "total")] + [box.note.text()]


def _open_video(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=4)], remember=False)
    assert window.video.active


def _settle(qtbot, ctl) -> None:  # noqa: ANN001
    """Until the τ debounce has fired, no run is outstanding and the queued signals are handled."""
    qtbot.waitUntil(lambda: not ctl._tau_timer.isActive() and not ctl._runs and ctl._load_request is None,
                    timeout=WAIT_MS)
    qtbot.wait(50)


def test_settings_and_model_moves_in_video_mode_wait_for_image_mode(qtbot, make_window, tiny: Path, demo_dir: Path,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None
                    and not ctl._metrics_timer.isActive(), timeout=WAIT_MS)
    shown, mask, scores, layers = ctl.prediction, ctl.arrays["prediction mask"].copy(), _scores(window), drawn_analysis_layers(window)
    _open_video(qtbot, window, tmp_path)
    asked = spy_runs(ctl, monkeypatch)

    s = ctl.settings
    s.set_threshold(0.2 if s.threshold > 0.3 else 0.6)
    s.set_keep("area:4")
    s.set_tau(0.4 if s.tau < 0.3 else 0.1)
    _settle(qtbot, ctl)
    ctl.load_model()  # a reload (device, precision or input changed; here the same): the same model id
    _settle(qtbot, ctl)
    ctl.run_current()  # asked for by a caller in video mode: waits for image mode too
    _settle(qtbot, ctl)
    window.canvas.hovered.emit(3, 3)  # the mouse over the frame: nothing of the hidden image
    assert asked == [] and drawn_analysis_layers(window) == []
    assert ctl.prediction is shown and np.array_equal(ctl.arrays["prediction mask"], mask)
    assert _scores(window) == scores and not ctl.hover_label.isVisible()

    window.video.leave()  # image mode: the image at the τ, threshold and rule set meanwhile
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau is not None
                    and tau_key(ctl.prediction.tau) == tau_key(s.tau) and not ctl._runs, timeout=WAIT_MS)
    assert asked == [[window.session.current_path]]  # once
    expected = thresholded_arrays(ctl.prediction, s.threshold, ctl.label, s.keep)["prediction mask"]
    assert np.array_equal(ctl.arrays["prediction mask"], expected)
    assert drawn_analysis_layers(window) == layers
    qtbot.waitUntil(lambda: _scores(window) != scores, timeout=WAIT_MS)  # the note names the new settings
    window.canvas.hovered.emit(3, 3)
    assert ctl.hover_label.text().startswith("p ")


def test_results_and_another_image_in_video_mode_show_in_image_mode(qtbot, make_window, tiny: Path, demo_dir: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    asked = spy_runs(ctl, monkeypatch)
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)  # Run on All: the result of the image shown, in progress, arrives once the video is open
    assert started.wait(10)
    scores = _scores(window)  # none yet
    _open_video(qtbot, window, tmp_path)
    release.set()
    _settle(qtbot, ctl)
    assert len(asked) == 1 and len(asked[0]) == len(window.session)
    assert len(ctl.cache) == 1  # its work is kept (the run pauses: test_video_day_run_all_pause.py)
    assert ctl.prediction is None and drawn_analysis_layers(window) == [] and _scores(window) == scores

    window.session.set_current(2)  # another image current behind the video
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    _settle(qtbot, ctl)
    assert ctl.prediction is None and drawn_analysis_layers(window) == [] and _scores(window) == scores

    window.video.leave()  # the run goes on; the image shown gets its result
    qtbot.waitUntil(lambda: ctl.prediction is not None and not ctl._runs, timeout=WAIT_MS)
    assert ctl.prediction is ctl.cache.latest_for(window.session.current_path, ctl.model.model_id)
    assert drawn_analysis_layers(window) != []
    qtbot.waitUntil(lambda: _scores(window) != scores, timeout=WAIT_MS)
    assert asked == [asked[0], asked[0][1:]]  # nothing ran twice
