"""Both ends of a scalar layer's colour bar in the Layers legend show (WCAG 1.4.11, 3:1 for the parts of
a graphic needed to read it: the "0" and "1" stand at the bar's ends), measured from the rendered legend
in both themes: the pixel just outside each end against the bar's end colour. Without a frame the
inferno/magma black was lost on the dark dock (1.5:1) and their pale yellow, viridis' yellow, on the
light window (1.1-1.3:1): the bar seemed to stop short of its number."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.analysis.legend import LayerLegend
from app.theme import DARK, LIGHT, Theme, apply_theme
from fosp_core.analysis.layers import LayerStack
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme
AA_UI = 3.0


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
@pytest.mark.parametrize("name", ["probability", "focus map", "foreground energy /8"])
def test_the_bar_ends_stand_out_from_around_them(qapp, qtbot, restore_theme, theme: Theme, name: str) -> None:  # noqa: ANN001
    apply_theme(qapp, theme.name)
    legend = LayerLegend()
    qtbot.addWidget(legend)
    legend.resize(300, 80)
    legend.show()
    legend.set_layer(LayerStack()[name], None)
    QApplication.processEvents()
    pixels = image_pixels(legend.grab().toImage())
    bar = legend.bar
    top_left = bar.mapTo(legend, QPoint(0, 0))
    y = top_left.y() + bar.height() // 2
    ends = ((top_left.x(), top_left.x() - 1), (top_left.x() + bar.width() - 1, top_left.x() + bar.width()))
    for inside, outside in ends:
        end, beside = (QColor(*(int(v) for v in pixels[y, x])) for x in (inside, outside))
        assert contrast(end, beside) >= AA_UI, (
            f"{name}'s bar end {end.name()} against {beside.name()} beside it on the {theme.name} theme")
