"""An item view's current item (a Layers row, an image in the Images dock, a table's cell) shows the
keyboard focus with the contrast of the app's focus ring: 3:1 at least against the row's background
under it (WCAG 1.4.11), whether the row is selected (white on the accent) or not (the accent on the
field). Fusion's is a faint tint, about 1.2:1; measured from rendered pixels
(tests/gui/rendered_item_focus.py)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyleFactory

from app.control_style import ContrastStyle
from tests.gui.rendered_item_focus import rendered_item_focus

AA_UI = 3.0


@pytest.mark.parametrize("selected", [True, False], ids=["selected", "not selected"])
@pytest.mark.parametrize("kind", ["list", "table", "layers", "images"])
def test_the_current_items_focus_meets_the_non_text_minimum(qtbot, kind: str, selected: bool) -> None:  # noqa: ANN001
    assert rendered_item_focus(qtbot, ContrastStyle(), kind, selected) >= AA_UI


@pytest.mark.parametrize("selected", [True, False], ids=["selected", "not selected"])
def test_the_item_focus_measure_fails_on_plain_fusion(qtbot, selected: bool) -> None:  # noqa: ANN001
    assert 0.0 < rendered_item_focus(qtbot, QStyleFactory.create("Fusion"), "list", selected) < AA_UI
