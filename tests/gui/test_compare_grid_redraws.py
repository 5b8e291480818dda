"""A layer change redraws only the compare grid's panels whose colours it changed (7f3f0d5): showing or
hiding a foreground-energy layer in the same colours redrew both scalar panels (0.09 s at 4000x3000);
a colormap change redraws its own panel, not the other. Redraws are counted as the panels' images being
rendered again (pyqtgraph's ImageItem.render: the image through its levels and lookup table)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from app.analysis.compare_grid import COLUMNS, CompareGrid
from fosp_core.analysis.layers import LayerStack
from fosp_core.infer.result import Prediction

H, W = 90, 120


def _counted(grid: CompareGrid) -> dict[str, int]:
    """How many times each panel's image is rendered from here on, by column."""
    counts = dict.fromkeys(COLUMNS, 0)
    for column, item in grid.items.items():
        def render(*args: object, _column: str = column, _render=item.render, **kwargs: object) -> object:  # noqa: ANN001
            counts[_column] += 1
            return _render(*args, **kwargs)

        item.render = render  # type: ignore[method-assign]
    return counts


def _paint(grid: CompareGrid) -> None:
    QApplication.processEvents()
    grid.grab()  # paints every panel: a panel whose image was let go renders it again


def test_a_layer_change_redraws_only_the_panels_whose_colours_changed(qtbot) -> None:
    stack = LayerStack()
    grid = CompareGrid(layers=stack)
    qtbot.addWidget(grid)
    grid.resize(900, 260)
    grid.show()
    qtbot.waitExposed(grid)
    ramp = np.tile(np.linspace(0, 1, W, dtype=np.float32), (H, 1))
    prediction = Prediction(probability=ramp, focus_map=ramp, foreground_energy={4: ramp * 3, 8: ramp * 2},
                            background=np.zeros((H, W, 3), np.uint8))
    rgb = np.zeros((H, W, 3), np.uint8)
    grid.set_content(rgb, prediction, None, 0.5)
    counts = _counted(grid)
    _paint(grid)
    assert all(counts[c] == 1 for c in COLUMNS), counts  # each drawn once
    focus, foreground = COLUMNS[1], COLUMNS[3]

    def redrawn(change) -> dict[str, int]:  # noqa: ANN001
        for column in counts:
            counts[column] = 0
        change()
        _paint(grid)
        return {column: n for column, n in counts.items() if n}

    # foreground layers shown and hidden, all magma: the separated foreground's colours stay
    assert redrawn(lambda: stack.set_visible("foreground energy /8", True)) == {}
    assert redrawn(lambda: stack.set_visible("foreground energy /4", True)) == {}
    assert redrawn(lambda: stack.set_visible("foreground energy /8", False)) == {}
    # a colormap change redraws its own panel only
    assert redrawn(lambda: stack.set_colormap("focus map", "inferno")) == {focus: 1}
    assert redrawn(lambda: stack.set_colormap("foreground energy /4", "viridis")) == {foreground: 1}
    # hidden, /4 stays the one whose colours it takes (none shown: the topmost); /8 shown: its magma
    assert redrawn(lambda: stack.set_visible("foreground energy /4", False)) == {}
    assert redrawn(lambda: stack.set_visible("foreground energy /8", True)) == {foreground: 1}
    # a change the grid does not show (the probability's colours) redraws nothing
    assert redrawn(lambda: stack.set_colormap("probability", "magma")) == {}
    assert redrawn(lambda: stack.set_opacity("focus map", 0.3)) == {}
