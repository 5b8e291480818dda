"""The Layers list's rows follow a theme switched while the window is open: the rows the shown result
does not provide are drawn in the palette's PlaceholderText of the new theme (4.5:1 on the list's Base),
and the others in its Text. A brush set on a row is kept as it was: after dark -> light the greyed rows
were dark's #9a9a9a on white (2.9:1), after light -> dark light's #5c5c5c on the dark base, and an
available row dark's #dcdcdc on white. Measured from the rendered list of the real window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.analysis.layer_list import LayerList
from app.theme import DARK, LIGHT, Theme, apply_theme
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

GREYED, SHOWN = "foreground energy /8", "foreground energy /16"


restore_theme = theme_helpers.restore_theme


def _row_text_contrast(layers: LayerList, name: str) -> float:
    """The contrast of the glyph cores of `name`'s row (the pixels right of its swatch farthest from the
    list's background) on that background, in the rendered list."""
    rows = layers.list
    rows.scrollToItem(layers.item(name))
    rect = rows.visualItemRect(layers.item(name)).intersected(rows.viewport().rect())
    pixels = image_pixels(rows.viewport().grab().toImage()).astype(int)
    text = pixels[rect.top(): rect.bottom() + 1, rect.left() + 3 * rows.iconSize().width(): rect.right() + 1]
    text = text.reshape(-1, 3)
    colours, counts = np.unique(text, axis=0, return_counts=True)
    background = colours[counts.argmax()]  # most of the row's pixels
    assert QColor(*background) == rows.palette().color(QPalette.ColorRole.Base)
    far = text[np.abs(text - background).sum(axis=1).argmax()]
    return contrast(QColor(*far), QColor(*background))


@pytest.mark.parametrize(("first", "then"), [(DARK, LIGHT), (LIGHT, DARK)], ids=["dark-to-light", "light-to-dark"])
def test_greyed_and_shown_rows_take_the_new_themes_colours(qtbot, qapp, make_window, restore_theme,
                                                            first: Theme, then: Theme) -> None:
    apply_theme(qapp, first.name)
    window = make_window(show=True)
    layers = window.analysis.layer_list
    font = layers.list.font()
    font.setPointSize(20)  # glyph cores of the row's full colour to measure
    layers.list.setFont(font)
    layers.set_available({SHOWN})  # a result that provides one of the two rows
    layers.select("probability")  # neither row is the selected one (the highlight's colours)
    QApplication.processEvents()
    assert _row_text_contrast(layers, GREYED) >= 4.5
    assert _row_text_contrast(layers, SHOWN) > _row_text_contrast(layers, GREYED)
    apply_theme(qapp, then.name)
    QApplication.processEvents()
    assert qapp.palette().color(QPalette.ColorRole.Base) == then.base
    greyed, shown = _row_text_contrast(layers, GREYED), _row_text_contrast(layers, SHOWN)
    assert greyed >= 4.5, f"greyed row {greyed:.2f}:1 after {first.name} -> {then.name}"
    assert shown >= 4.5 and shown > greyed
    assert layers.item(GREYED).foreground().color() == then.placeholder
