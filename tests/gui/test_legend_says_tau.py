"""The legend of the τ hole and the τ contour says the τ the shown result was made at: it said
"Focus Map above τ" only, so a screenshot or an exported view of the hole did not say which τ cut it
(the Model panel's τ is a setting, the result's is what is drawn)."""

from __future__ import annotations

import numpy as np

from app.analysis.layer_list import LayerList
from fosp_core.analysis.layers import LayerStack


def test_hole_and_contour_legends_give_the_results_tau(qtbot) -> None:
    layers = LayerList(LayerStack())
    qtbot.addWidget(layers)
    hole = np.zeros((6, 6), bool)
    hole[2:4, 2:4] = True
    layers.set_arrays({"hole": hole, "τ contour": hole}, tau=0.3)
    for name in ("hole", "τ contour"):
        layers.select(name)
        assert "τ\u00a00.30" in layers.legend.text(), layers.legend.text()
        assert "τ\u00a00.30" in layers.legend.note.text()  # on screen, not only in the tooltip
    layers.set_arrays({"hole": hole, "τ contour": hole}, tau=0.15)
    assert "τ\u00a00.15" in layers.legend.text() and "0.30" not in layers.legend.text()
    layers.set_arrays({})  # no result: no τ to give
    assert "0.15" not in layers.legend.text()
