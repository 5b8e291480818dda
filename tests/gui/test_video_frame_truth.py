"""A video frame with a painted mask gets the image view's "ground truth" and "error map" layers
(app.video.frame_truth): the painted mask compared with the prediction shown, made again at each commit
(no model run), gone when the frame goes back to no mask; a frame without a mask has neither."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.analysis.overlays import OVERLAY_PREFIX
from app.video.frame_truth import TRUTH_NOTE
from fosp_core.analysis.results import error_map
from fosp_core.annotation.tools import brush
from tests.gui.frame_layer_helpers import open_test_clip, seek, window_with_model
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


def _expected(layers, mask: np.ndarray) -> np.ndarray:  # noqa: ANN001
    return error_map(layers.arrays["prediction mask"], mask)


def test_a_painted_frame_is_compared_with_its_prediction(qtbot, make_window, tiny: Path, tmp_path: Path) -> None:
    window = window_with_model(qtbot, make_window, tiny)
    ctl, video = window.analysis, window.video
    layers = video.frame_layers
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: layers.frame == 0, timeout=WAIT_MS)
    assert "ground truth" not in layers.arrays and "error map" not in layers.arrays  # nothing painted yet
    assert video.panel.layers_label.text() == "Layers: frame 0"

    ctl.layers.set_visible("error map", True)  # shown (Alt+R); the ground truth stays hidden
    doc = video.document
    assert doc is not None
    drawn_before = drawn_analysis_layers(window)
    mask = np.zeros(doc.shape, np.uint8)
    mask[30:80, 40:120] = 1
    mask[10:20, :] = 255
    assert doc.replace_mask(mask)  # a commit: the frame has a saved mask now
    assert np.array_equal(layers.arrays["ground truth"], mask == 1)
    assert np.array_equal(layers.arrays["error map"], _expected(layers, mask))
    assert {"ground truth", "error map"} <= set(ctl.layer_list._arrays)  # the image view's rows and legends
    assert ctl.overlays.arrays is layers.arrays
    assert drawn_analysis_layers(window) == [*drawn_before[:-1], OVERLAY_PREFIX + "error map", drawn_before[-1]]
    item = window.canvas.overlay(OVERLAY_PREFIX + "error map")
    assert np.array_equal(item.image > 0, layers.arrays["error map"] > 0)  # drawn on the canvas
    assert video.panel.layers_label.text() == f"Layers: frame 0 · {TRUTH_NOTE}"

    assert brush(doc, [(130, 90), (150, 100)], 6)  # the annotator paints: remade, no model run
    assert np.array_equal(layers.arrays["ground truth"], doc.mask == 1)
    assert np.array_equal(layers.arrays["error map"], _expected(layers, doc.mask))
    assert layers.truth.updates == 2
    assert layers.truth.remade_pixels < 2 * mask.size  # the stroke's rectangle only, after the first whole one
    assert np.array_equal(item.image > 0, layers.arrays["error map"] > 0)

    ctl.settings.set_threshold(0.05 if ctl.settings.threshold > 0.1 else 0.9)  # the error map follows
    assert np.array_equal(layers.arrays["error map"], _expected(layers, doc.mask))

    seek(qtbot, window, 1)
    seek(qtbot, window, 0)
    layers.settle()  # back from the cache, with its painted mask
    assert layers.frame == 0 and np.array_equal(layers.arrays["ground truth"], doc.mask == 1)
    assert layers.started == [0]  # one model run in all

    doc = video.document
    while doc.can_undo:
        doc.undo()  # back to no mask: the frame's mask removed, its label layers gone
    assert not video.annotations.has_mask(0)
    assert "ground truth" not in layers.arrays and "error map" not in layers.arrays
    assert "ground truth" not in ctl.layer_list._arrays
    assert drawn_analysis_layers(window) == drawn_before
    assert video.panel.layers_label.text() == "Layers: frame 0"
