"""An analyst's day, legends: which colour on the canvas is which layer, what a colour of a scalar
map is worth, and what an exported compare grid was made at.

With the defaults, the prediction mask and the error map's false positives were the same red and
nothing on screen said which was which (the layer list had names only), nor what the colours of the
probability, Focus Map or foreground-energy maps meant (no colour bar, no range: the foreground
energy is scaled to each image's own maximum)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from app.analysis.layer_list import LayerList
from app.analysis.render import lookup_table
from fosp_core.analysis.layers import ERROR_COLORS, SOLID_COLORS, LayerStack
from fosp_core.infer.result import Prediction
from tests.unit.colour_vision import seen_apart
from tests.unit.test_layers_colours import APART


def _colours(image: QImage) -> set[tuple[int, int, int]]:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    array = array[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    return {tuple(int(v) for v in px) for px in array.reshape(-1, 3)}


def _icon_colours(layers: LayerList, name: str) -> set[tuple[int, int, int]]:
    icon = layers.item(name).icon()
    assert not icon.isNull(), f"no colour key for {name!r}"
    return _colours(icon.pixmap(icon.availableSizes()[0] if icon.availableSizes() else layers.icon_size).toImage())


def test_every_layer_row_shows_its_colours(qtbot) -> None:
    stack = LayerStack()
    layers = LayerList(stack)
    qtbot.addWidget(layers)
    assert SOLID_COLORS[stack["prediction mask"].colormap] in _icon_colours(layers, "prediction mask")
    fp, fn = ERROR_COLORS[stack["error map"].colormap]
    assert {fp, fn} <= _icon_colours(layers, "error map")
    table = lookup_table("scalar", stack["probability"].colormap, translucent=False)
    assert tuple(int(v) for v in table[-1, :3]) in _icon_colours(layers, "probability")  # the top of its bar
    stack.set_colormap("prediction mask", "blue")
    assert SOLID_COLORS["blue"] in _icon_colours(layers, "prediction mask")  # follows the colormap
    for layer in stack:
        _icon_colours(layers, layer.name)  # none without a key


def test_the_error_map_stands_apart_from_the_annotation_mask() -> None:
    """The annotation mask (smoke red-orange, ignore yellow) is drawn over the analysis layers: the
    error map's default colours differ from its colours too, with each kind of colour vision."""
    from app.annotation.mask_layer import IGNORE_RGBA, SMOKE_RGBA

    fp, fn = ERROR_COLORS[LayerStack()["error map"].colormap]
    for error in (fp, fn):
        for drawn in (SMOKE_RGBA[:3], IGNORE_RGBA[:3]):
            assert seen_apart(error, drawn)[0] >= APART, (error, drawn, seen_apart(error, drawn))


def test_the_selected_layer_explains_its_colours_and_range(qtbot) -> None:
    stack = LayerStack()
    layers = LayerList(stack)
    qtbot.addWidget(layers)
    energy = np.zeros((8, 10), np.float32)
    energy[2, 3] = 3.25
    probability = np.full((8, 10), 0.2, np.float32)
    layers.set_arrays({"probability": probability, "foreground energy /8": energy, "error map": np.zeros((8, 10), np.uint8)})
    layers.select("error map")
    text = layers.legend.text()
    assert "false positive" in text and "false negative" in text, text
    layers.select("foreground energy /8")
    assert "3.25" in layers.legend.text(), layers.legend.text()  # its colours run from 0 to this image's maximum
    assert not layers.legend.bar.pixmap().isNull()
    layers.select("probability")
    assert "0" in layers.legend.text() and "1" in layers.legend.text()


def test_compare_grid_titles_say_what_the_panels_were_made_at(qtbot) -> None:
    """An exported Fig. 7 grid said "prediction" with no threshold or region rule, and "Focus Map &
    ground truth" without saying which colour the ground truth is."""
    from app.analysis.compare_grid import CompareGrid

    grid = CompareGrid()
    qtbot.addWidget(grid)
    rgb = np.zeros((16, 20, 3), np.uint8)
    prediction = Prediction(probability=np.zeros((16, 20), np.float32), focus_map=np.zeros((16, 20), np.float32))
    grid.set_content(rgb, prediction, np.zeros((16, 20), np.uint8), 0.35, "core:0.7")
    titles = grid.titles()
    assert "0.35" in titles[-1] and "regions with a core above 0.7" in titles[-1], titles  # 6b1b9cae: the rule in words
    assert "green" in titles[1], titles
    grid.set_content(rgb, prediction, None, 0.5)
    assert "0.50" in grid.titles()[-1] and "core" not in grid.titles()[-1]
    assert "green" not in grid.titles()[1]  # no label, no outline


def test_opacity_shows_its_value(qtbot) -> None:
    """The opacity slider had no number: 45 % and 60 % looked alike and could not be set again."""
    stack = LayerStack()
    layers = LayerList(stack)
    qtbot.addWidget(layers)
    layers.select("error map")
    assert layers.opacity_value.text() == f"{round(stack['error map'].opacity * 100)}%"
    layers.opacity.setValue(33)
    assert layers.opacity_value.text() == "33%" and stack["error map"].opacity == 0.33
    stack.set_opacity("error map", 0.8)
    assert layers.opacity_value.text() == "80%"
