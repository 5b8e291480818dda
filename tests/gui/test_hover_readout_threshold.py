"""The hover readout never contradicts the mask beside it: a probability just under the mask threshold
printed to 3 decimals read as the threshold ("p 0.500 not in mask" for 0.4996 at 0.50; the mask holds
p > threshold). It gets the digits that keep it on its side ("p 0.4996 not in mask"), or says the side
("p < 0.487") where 6 decimals cannot tell."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from app.analysis.readouts import hover_text
from fosp_core.infer.result import Prediction


def _readout(p: np.float32, threshold: float) -> str:
    prediction = Prediction(probability=np.full((2, 2), p, np.float32))
    arrays = {"probability": prediction.probability, "prediction mask": prediction.mask(threshold)}
    return hover_text(arrays, 1, 1, None, threshold)


@pytest.mark.parametrize(("p", "threshold", "expected"), [
    (np.float32(0.4996), 0.5, "p 0.4996 not in mask"),  # read "p 0.500 not in mask"
    (np.float32(0.50004), 0.5, "p 0.50004 in mask"),  # read "p 0.500 in mask"
    (np.float32(0.5), 0.5, "p 0.500 not in mask"),  # on the threshold: not above it
    (np.nextafter(np.float32(0.5), np.float32(1)), 0.5, "p > 0.500 in mask"),
    (np.float32(0.487), 0.487, "p 0.487 not in mask"),  # the mask compares float32s: equal
    (np.nextafter(np.float32(0.487), np.float32(0)), 0.487, "p < 0.487 not in mask"),
    (np.float32(0.912), 0.5, "p 0.912 in mask"),  # away from the threshold: 3 decimals, as before
    (np.float32(0.1234), 0.5, "p 0.123 not in mask"),
])
def test_the_probability_stands_on_its_side_of_the_threshold(p: np.float32, threshold: float, expected: str) -> None:
    assert _readout(p, threshold) == expected


def test_no_probability_near_a_threshold_reads_against_its_mask() -> None:
    """Every float32 within 2e-4 of a threshold (and its 50 neighbours each way): the number printed is
    above the threshold exactly when the pixel is in the mask, and equal to it only on it."""
    for threshold in (0.3, 0.487, 0.5, 0.999):
        centre = np.float32(threshold)
        values = [centre + np.float32(d) for d in np.linspace(-2e-4, 2e-4, 81)]
        near, low, high = [centre], centre, centre
        for _ in range(50):
            low, high = np.nextafter(low, np.float32(0)), np.nextafter(high, np.float32(1))
            near += [low, high]
        for p in [np.float32(v) for v in values] + near:
            text = _readout(p, threshold)
            in_mask = text.endswith(" in mask") and not text.endswith("not in mask")
            number = re.match(r"p (<|>)? ?([0-9.]+) ", text)
            assert number is not None, text
            side, value = number.group(1), float(number.group(2))
            if side:
                assert (side == ">") == in_mask and value == threshold, text
            else:
                assert (value > threshold) == in_mask, (float(p), threshold, text)
                assert (value == threshold) == (p == np.float32(threshold)), (float(p), threshold, text)


def test_the_status_bar_says_it_at_the_panel_s_threshold(qtbot, make_window, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "plume.png"
    Image.fromarray(np.full((8, 8, 3), 90, np.uint8)).save(path)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    ctl.settings.set_threshold(0.5)
    ctl.layers.set_visible("prediction mask", True)
    ctl._show(Prediction(probability=np.full((8, 8), 0.4996, np.float32)))
    window.canvas.hovered.emit(3, 3)
    assert ctl.hover_label.text().startswith("p 0.4996 not in mask")
