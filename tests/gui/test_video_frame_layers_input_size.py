"""A frame's layers computed at one network input size are not kept as the layers at another: a run
left for another frame (its answer kept for coming back, app.video.frame_layers) whose answer came after
the analysis view's input size had changed was cached under the new size (the key took the size of the
layers' model loaded by then, not the run's), so coming back to that frame showed the old size's maps
as the new one's and computed nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.frame_layer_helpers import frame_2_held, open_test_clip, seek, window_with_model
from tests.gui.tiny_model import (
    INPUT,
    WAIT_MS,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_an_answer_come_after_a_size_change_is_kept_under_its_own_size(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window, release = frame_2_held(qtbot, make_window, tiny, tmp_path, monkeypatch)
    video = window.video
    layers = video.frame_layers
    seek(qtbot, window, 4)
    window.analysis.worker.set_input_size(2 * INPUT)  # the Model panel's input size changed
    layers.settle()  # frame 4: the layers' model loads again at 2 * INPUT (after the held run)
    release.set()
    qtbot.waitUntil(lambda: layers.frame == 4, timeout=WAIT_MS)
    assert layers._spec is not None and layers._spec[4] == 2 * INPUT
    assert layers.dropped == 1  # frame 2's answer came meanwhile
    seek(qtbot, window, 2)
    layers.settle()
    qtbot.waitUntil(lambda: layers.frame == 2, timeout=WAIT_MS)
    assert layers.started == [0, 2, 4, 2]  # frame 2 computed at the new size, not the old answer shown


def test_the_status_bar_does_not_say_computing_once_the_layers_are_shown(qtbot, make_window, tiny: Path,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    """'Layers: computing frame 0…' stayed in the status bar for its 4 s after frame 0's layers were shown
    (the Video panel said 'Layers: frame 0' meanwhile)."""
    window = window_with_model(qtbot, make_window, tiny)
    layers = window.video.frame_layers
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0 and layers._request is None, timeout=WAIT_MS)
    assert window.video.panel.layers_label.text() == "Layers: frame 0"
    assert "computing" not in window.statusBar().currentMessage()
