"""The Layers dock with a result of a model without some of the maps it lists (task P, session 29):
with a SegFormer checkpoint the focus map, hole, τ contour, separated background and foreground
energy rows were greyed with no word why, and the legend of a selected one read "0 … 1" and what the
map would show. Now the legend and the row's tooltip say the model has no such map and why."""

from __future__ import annotations

import numpy as np

from app.analysis.layer_list import LayerList
from fosp_core.analysis.layers import LayerStack

MAP = np.zeros((6, 8), np.float32)
MASK = np.zeros((6, 8), bool)


def _layers(qtbot) -> LayerList:
    layers = LayerList(LayerStack())
    qtbot.addWidget(layers)
    return layers


def _says(layers: LayerList, name: str) -> tuple[str, str]:
    layers.select(name)
    return layers.legend.text(), layers.item(name).toolTip()


def test_a_segformer_result_says_why_its_maps_are_missing(qtbot) -> None:
    layers = _layers(qtbot)
    layers.set_arrays({"probability": MAP, "prediction mask": MASK})
    for name, what in (("focus map", "Focus Map"), ("hole", "Focus region (τ hole)"),
                       ("separated background", "separated background"),
                       ("foreground energy /4", "foreground energy")):
        legend, tip = _says(layers, name)
        words = f"This model has no {what}: a SegFormer baseline"
        assert legend.startswith(words), (name, legend)
        assert tip.startswith(words), (name, tip)
    legend, tip = _says(layers, "ground truth")  # no label: not the model's doing
    assert "This model" not in legend and "This model" not in tip


def test_without_separation_the_focus_map_is_there_and_the_rest_says_so(qtbot) -> None:
    layers = _layers(qtbot)
    layers.set_arrays({"probability": MAP, "prediction mask": MASK, "focus map": MAP})
    assert not _says(layers, "focus map")[0].startswith("This model")
    legend, tip = _says(layers, "separated background")
    assert legend.startswith("This model has no separated background: it has no Separation module"), legend
    layers.set_arrays({})  # no result: nothing is said of the model
    legend, tip = _says(layers, "separated background")
    assert "This model" not in legend and "This model" not in tip
