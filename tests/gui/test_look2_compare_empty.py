"""Compare Two Checkpoints before a run: its table and previews say what to do (an empty table and two
dark empty panes said nothing), and the previews follow the theme (they stayed #202020 on the light
window)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QPalette

from app.theme import apply_theme
from app.training.compare_previews import ComparePreviews
from app.training.compare_table import CompareTable
from tests.gui.theme_helpers import image_pixels, restore_theme  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("restore_theme")


def test_the_empty_table_says_what_to_do(qtbot) -> None:  # noqa: ANN001
    table = CompareTable()
    qtbot.addWidget(table)
    table.resize(700, 240)
    table.show()
    qtbot.waitExposed(table)
    assert "Compare" in table.empty_hint
    pixels = image_pixels(table.viewport().grab().toImage())
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 2, "the empty table paints no words"


def test_the_empty_previews_say_what_shows_there_in_the_themes_colours(qtbot, qapp, tmp_path: Path) -> None:  # noqa: ANN001
    apply_theme(qapp, "light")
    pane = ComparePreviews()
    qtbot.addWidget(pane)
    pane.resize(600, 240)
    pane.show()
    qtbot.waitExposed(pane)
    for key, label in zip("AB", (pane.preview_a, pane.preview_b), strict=True):
        assert f"{key}'s mask" in label.text(), label.text()
        corner = label.grab().toImage().pixelColor(2, 2)
        assert corner.lightness() > 200, corner.name()  # the palette's base, not a dark frame
        assert corner == qapp.palette().color(QPalette.ColorRole.Base)
