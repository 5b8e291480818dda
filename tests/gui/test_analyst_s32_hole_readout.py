"""The τ hole (the Focus region the model removed before inpainting, its "hole" layer and τ contour) had
no value in the hover readout: only the Focus value, and the hole is not the Focus Map shown above τ
pixel for pixel. The model cuts it at its input size (512 px) and the app takes it nearest to the
image's size, while the Focus Map is interpolated to the image's size; along the hole's edge a pixel in
the hole can read "focus 0.147" at τ 0.15 (429 of 14 800 pixels on a 1024 x 768 SMOKE5K image). The
readout now says "in hole" where the pixel is in it, and the hole's legend says how it was cut."""

from __future__ import annotations

import numpy as np

from app.analysis.readouts import hover_text
from fosp_core.analysis.layers import LayerStack


def _arrays() -> dict[str, np.ndarray]:
    probability = np.full((4, 5), 0.2, np.float32)
    focus = np.full((4, 5), 0.147, np.float32)  # under τ 0.15 everywhere...
    hole = np.zeros((4, 5), bool)
    hole[1:3, 1:3] = True  # ...and yet in the hole here, as the model cut it
    return {"probability": probability, "focus map": focus, "hole": hole}


def test_the_readout_says_whether_the_pixel_is_in_the_hole() -> None:
    arrays = _arrays()
    assert "focus 0.147 in hole" in hover_text(arrays, 1, 1)
    out = hover_text(arrays, 0, 0)
    assert "focus 0.147" in out and "hole" not in out  # out of it: nothing more (the status bar is narrow)


def test_without_a_hole_the_focus_reads_as_before() -> None:
    arrays = _arrays()
    del arrays["hole"]
    text = hover_text(arrays, 1, 1)
    assert text.endswith("focus 0.147") and "hole" not in text


def test_the_hole_legend_says_it_is_cut_at_the_models_input_size() -> None:
    from app.analysis.legend import meaning

    words = meaning(LayerStack()["hole"])
    assert "input size" in words and "edge" in words, words


def test_the_tau_contour_legend_says_what_a_close_up_shows() -> None:
    """Zoomed in (800 % and more), the τ contour is a band of the Focus region's edge pixels, 8 screen pixels
    thick at 800 %, 48 at 4800 %: its tooltip said "a thin solid line at any zoom"."""
    from app.analysis.legend import meaning

    words = meaning(LayerStack()["τ contour"])
    assert "edge pixels" in words and "zoomed in" in words, words
