"""A copy of the video's model (the same weights in another file, or exported again under another name) is
the same model for the video view, as for the analysis view (`app.analysis.model_ids`) and the video's model
source (`app.video.model_source`, which keeps the function loaded):

- the frames' prediction cache was keyed by the checkpoint's file name (`app.video.predicting`): loading a
  copy in the Model panel cleared the open video's predictions and missed the kept ones of a closed video;
- the frame layers (`app.video.frame_layers`) loaded their model again for a copy, and took the
  checkpoint's τ rather than the Model panel's where the video's model was a copy of the panel's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.frame_layer_helpers import open_test_clip, window_with_model
from tests.gui.tiny_model import (
    WAIT_MS,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px

FRAMES = 6


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _copy(tiny: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(tiny, tmp_path / "copy-of-tiny.safetensors"))


def _run_whole(qtbot, window: MainWindow) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    qtbot.waitUntil(lambda: video.worker is not None and video.worker.has_model, timeout=WAIT_MS)
    video.predict_whole()
    qtbot.waitUntil(lambda: not video.worker.whole_running, timeout=6 * WAIT_MS)
    assert video.cache.summary_count() == video.frame_count


def _panel_loads(qtbot, window: MainWindow, checkpoint: Path) -> None:  # noqa: ANN001 - qtbot fixture
    """The Model panel loads `checkpoint`; with a video open, wait for the video's model to follow."""
    with qtbot.waitSignal(window.analysis.worker.loaded, timeout=WAIT_MS):
        window.analysis.settings.set_checkpoint(checkpoint)
    if window.video.active:
        models = window.video.models
        qtbot.waitUntil(lambda: models.loading is None and models.name == checkpoint.name, timeout=WAIT_MS)


def test_a_copy_keeps_the_open_video_s_predictions_and_a_closed_one_s_serve_another(  # noqa: ANN201
        qtbot, make_window, tiny: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """A copy loaded in the Model panel keeps the open video's predictions; another copy loaded while that
    video is closed is served its kept ones when it opens again (one window and whole-video run for both:
    they were two tests, each paying them)."""
    clip, other = write_clip(tmp_path / "clip.mp4", frames=FRAMES), write_clip(tmp_path / "other.mp4", frames=3)
    window = window_with_model(qtbot, make_window, tiny)
    video = window.video
    open_video(qtbot, window, clip, tmp_path)
    _run_whole(qtbot, window)
    key = video.cache.model_key
    _panel_loads(qtbot, window, _copy(tiny, tmp_path))
    assert video.cache.model_key == key, "the open video's cache keyed by the copy's file name"
    assert video.cache.summary_count() == FRAMES, "the open video's whole-video run lost to a copy"

    open_video(qtbot, window, other, tmp_path)
    _panel_loads(qtbot, window, Path(shutil.copy(tiny, tmp_path / "another-copy.safetensors")))
    open_video(qtbot, window, clip, tmp_path)
    assert video.cache.summary_count() == FRAMES, "a closed video's kept predictions not served to a copy"


def test_the_frame_layers_keep_their_model_for_a_copy(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                      tmp_path: Path) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    layers = window.video.frame_layers
    open_test_clip(qtbot, window, tmp_path, frames=4)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)
    assert layers.loads == 1 and layers.started == [0]
    copy = _copy(tiny, tmp_path)
    _panel_loads(qtbot, window, copy)
    layers.settle()
    assert layers.loads == 1  # was loaded again
    assert layers.frame == 0 and layers.started == [0] and layers._spec[0] == copy.resolve()


def test_the_frame_layers_of_a_copy_of_the_panel_s_model_take_the_panel_s_tau(  # noqa: ANN201
        qtbot, make_window, tiny: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = window_with_model(qtbot, make_window, tiny)
    video, layers = window.video, window.video.frame_layers
    open_test_clip(qtbot, window, tmp_path, frames=4)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)
    window.analysis.settings.set_tau(0.3)  # the user's τ, not the checkpoint's
    qtbot.waitUntil(lambda: layers.prediction is not None and layers.prediction.tau == pytest.approx(0.3),
                    timeout=WAIT_MS)

    def chosen_in_the_video(checkpoint: Path) -> float:
        """The video's Model… picks `checkpoint` (another device choice: its layers' model loads again);
        the τ of frame 0's layers then."""
        video.load_model(checkpoint, "auto")
        qtbot.waitUntil(lambda: video.models.loading is None and video.models.name == checkpoint.name,
                        timeout=WAIT_MS)
        layers.settle()
        qtbot.waitUntil(lambda: layers._load_request is None and layers._request is None and layers.frame == 0
                        and layers._spec is not None and layers._spec[0] == checkpoint.resolve(), timeout=WAIT_MS)
        assert layers.prediction is not None
        return float(layers.prediction.tau)

    assert chosen_in_the_video(_copy(tiny, tmp_path)) == pytest.approx(0.3)  # was the checkpoint's
    other = save_tiny_checkpoint(tmp_path / "other.safetensors", seed=1, tau=0.4)
    assert chosen_in_the_video(other) == pytest.approx(0.4)  # other weights: their own τ
