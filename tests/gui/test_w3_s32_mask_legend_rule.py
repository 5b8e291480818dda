"""The prediction mask's legend said "probability above the mask threshold": neither the threshold in
force nor the region rule, so a screenshot of the Layers dock did not say what the mask kept. It now says
"mask: probability > 0.50" and, under a region rule, the rule in the compare grid title's words ("regions
with a core above 0.7"), and follows the Model panel's threshold and rule as they move."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.analysis.compare_grid import column_titles
from fosp_core.infer.result import Prediction

SHAPE = (61, 83)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.gui.tiny_model import save_tiny_checkpoint

    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _window(qtbot, make_window, tmp_path: Path, show: bool = True):  # noqa: ANN001, ANN202
    h, w = SHAPE
    path = tmp_path / "odd.png"
    Image.fromarray(np.random.default_rng(3).integers(0, 255, (h, w, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    if show:
        probability = (np.arange(h * w, dtype=np.float32) / (h * w)).reshape(h, w)
        window.analysis._show(Prediction(probability=probability, focus_map=1 - probability))
    window.analysis.layer_list.select("prediction mask")
    return window


def _legend(window) -> str:  # noqa: ANN001
    return window.analysis.layer_list.legend.text()


def test_the_mask_legend_names_the_threshold_and_follows_it(qtbot, make_window, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path)
    settings = window.analysis.settings
    assert settings.threshold == 0.5 and settings.keep == "plain"
    text = _legend(window)
    assert "mask: probability > 0.50" in text and "regions" not in text, text
    settings.set_threshold(0.3)
    qtbot.waitUntil(lambda: "mask: probability > 0.30" in _legend(window))
    assert "0.50" not in _legend(window)


def test_the_mask_legend_names_the_region_rule_in_the_grid_titles_words(qtbot, make_window, tmp_path: Path) -> None:
    window = _window(qtbot, make_window, tmp_path)
    settings = window.analysis.settings
    settings.set_keep("core:0.7")
    qtbot.waitUntil(lambda: "regions with a core above 0.7" in _legend(window))
    text = _legend(window)
    assert "mask: probability > 0.50, regions with a core above 0.7" in text, text
    assert "regions with a core above 0.7" in column_titles(0.5, "core:0.7")[-1]  # the same words
    settings.set_keep("plain")
    qtbot.waitUntil(lambda: "regions" not in _legend(window))
    assert "mask: probability > 0.50" in _legend(window)


def test_with_no_result_shown_the_legend_still_names_the_rule(qtbot, make_window, tmp_path: Path) -> None:
    """The legend explains the layer before any run: the mask it will show is cut at the settings of now."""
    window = _window(qtbot, make_window, tmp_path, show=False)
    window.analysis.settings.set_threshold(0.65)
    window.analysis.settings.set_keep("core:0.8")
    assert "mask: probability > 0.65, regions with a core above 0.8" in _legend(window), _legend(window)


def test_a_video_frame_s_mask_legend_follows_the_rule_too(qtbot, make_window, tiny: Path, tmp_path: Path) -> None:
    """A video frame's layers (app.video.frame_layers) are shown in the same Layers dock, the mask cut at
    the Model panel's threshold and rule: its legend says them, and follows them, in video mode too."""
    from tests.gui.frame_layer_helpers import open_test_clip, window_with_model
    from tests.gui.tiny_model import WAIT_MS

    window = window_with_model(qtbot, make_window, tiny)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_test_clip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: window.video.frame_layers.frame == 0, timeout=WAIT_MS)
    layer_list = window.analysis.layer_list
    layer_list.select("prediction mask")
    assert "prediction mask" in layer_list._arrays  # the frame's layers are the ones shown
    assert "mask: probability > 0.50" in _legend(window), _legend(window)
    window.analysis.settings.set_threshold(0.4)
    window.analysis.settings.set_keep("core:0.7")
    assert "mask: probability > 0.40, regions with a core above 0.7" in _legend(window), _legend(window)
