"""The legend's colour marks can be seen on the dark dock: each is framed by a line of at least 3:1
against the dock (WCAG 1.4.11, graphical objects), as the layer rows' swatches are.

The legend named its colours with a bare "■" in the colour: the hole's black was 1.5:1 on the
dock's (45, 45, 48), the error map's false-negative plum (72, 0, 104) 1.3:1 - a gap before its
words, not a colour key. The rows' swatch frame (110, 110, 110) was 2.7:1. The same holds in the light
theme, where the dark theme's frame (150, 150, 150) was 2.6:1 on the light dock (the τ contour's
yellow 1.3:1): one frame grey serves both."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from app.analysis.layer_list import LayerList
from app.analysis.legend import KEY_SIZE
from app.theme import DARK, LIGHT, dark_palette, light_palette
from fosp_core.analysis.layers import ERROR_COLORS, SOLID_COLORS, LayerStack

WINDOW = (45, 45, 48)  # the dark theme's dock
LIST = (30, 30, 32)  # the layer list's base
#: (palette maker, dock, list) of each theme
THEMES = pytest.mark.parametrize(("palette", "window", "listed"), [
    (dark_palette, WINDOW, LIST),
    (light_palette, LIGHT.window.getRgb()[:3], LIGHT.base.getRgb()[:3]),
], ids=["dark", "light"])
assert DARK.window.getRgb()[:3] == WINDOW and DARK.base.getRgb()[:3] == LIST


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def _contrast(a: np.ndarray, b: tuple[int, int, int]) -> np.ndarray:
    la, lb = _luminance(a), _luminance(np.array(b))
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def _ring_contrast(pixels: np.ndarray, colour: tuple[int, int, int], background: tuple[int, int, int]) -> float:
    """The best contrast against `background` of the pixels just around the mark of `colour` (its
    bounding box grown by 1 px); the mark's own where no ring is needed (a bright colour)."""
    ys, xs = np.nonzero((pixels == np.array(colour, np.uint8)).all(axis=2))
    assert len(ys), f"no mark of {colour} in the legend"
    y0, y1, x0, x1 = ys.min() - 1, ys.max() + 1, xs.min() - 1, xs.max() + 1
    ring = np.concatenate([pixels[y0, x0:x1 + 1], pixels[y1, x0:x1 + 1], pixels[y0:y1 + 1, x0], pixels[y0:y1 + 1, x1]])
    return float(max(_contrast(np.array(colour), background), _contrast(ring, background).max()))


@pytest.mark.parametrize(("layer", "colours"), [
    ("hole", [SOLID_COLORS["black"]]),
    ("error map", list(ERROR_COLORS["violet/plum"])),
    ("τ contour", [SOLID_COLORS["yellow"]]),
])
@THEMES
def test_every_legend_colour_mark_stands_out_from_the_dock(qtbot, qapp, layer: str, colours: list, palette,  # noqa: ANN001
                                                           window: tuple, listed: tuple) -> None:
    old = qapp.palette()
    qapp.setPalette(palette())  # the app's theme (a style-sheeted label takes the app's palette)
    try:
        layers = LayerList(LayerStack())
        qtbot.addWidget(layers)
        layers.resize(320, 400)
        layers.set_arrays({layer: np.zeros((4, 4), np.uint8 if layer != "hole" else bool)})
        layers.select(layer)
        pixels = _pixels(layers.legend.note.grab().toImage())
    finally:
        qapp.setPalette(old)
    assert tuple(pixels[0, -1]) == window  # the dock's colour around the words
    for colour in colours:
        assert _ring_contrast(pixels, colour, window) >= 3.0, (layer, colour)


@THEMES
def test_the_layer_rows_swatch_frame_stands_out_from_the_list(qtbot, palette, window: tuple,  # noqa: ANN001
                                                              listed: tuple) -> None:
    layers = LayerList(LayerStack())
    qtbot.addWidget(layers)
    icon = layers.item("hole").icon()
    pixels = _pixels(icon.pixmap(KEY_SIZE[0] + 2, KEY_SIZE[1] + 2).toImage())
    frame = pixels[0, pixels.shape[1] // 2]
    assert _contrast(frame, listed) >= 3.0 and _contrast(frame, window) >= 3.0, tuple(frame)
