"""A colour key of the compare grid keeps its name whole: under a 143 px panel (the Compare dock at
1024 x 640) it read "foreground,… 0 ▮▮ 1", cut to a word that says nothing. Where the name does not
fit beside the bar it takes a line of its own over it; wide, the key stays one line."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QPainter

from app.analysis.grid_key import GridKey

NAME = "foreground, relative"


@pytest.fixture()
def make_key(qtbot) -> Callable[[float], GridKey]:  # noqa: ANN001 - qtbot fixture
    """A key of NAME from 0 to 1, `width` px wide, in a view of its own (kept for the test)."""

    def make(width: float) -> GridKey:
        view = pg.GraphicsLayoutWidget()
        qtbot.addWidget(view)
        views.append(view)
        key = GridKey()
        view.addItem(key)
        key.set_scale(NAME, "0", "1", np.zeros((16, 3), np.uint8))
        key.resize(QSizeF(width, key.preferredHeight()))
        return key

    views: list[pg.GraphicsLayoutWidget] = []
    return make


def test_a_narrow_key_puts_its_name_over_the_bar(make_key) -> None:  # noqa: ANN001
    key = make_key(140)
    assert key.shown_name() == NAME  # was "foreground,…"
    one_line = make_key(400)
    assert one_line.shown_name() == NAME
    assert key.preferredHeight() > one_line.preferredHeight()  # a second line where it needs one


def test_the_key_paints_the_whole_name_on_its_own_line(make_key) -> None:  # noqa: ANN001
    key = make_key(140)
    image = QImage(140, int(key.preferredHeight()), QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    key.paint(painter, None)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., :3]
    lit = pixels.max(axis=(1, 2)) > 100
    half = image.height() // 2
    assert lit[:half].any() and lit[half:].any()  # the name's line and the bar's line
