"""The worklist's status dots are pictures made once per status and theme, not a glyph drawn at each row.

Before, each dot was a qtawesome icon: its engine drew the Font Awesome circle with QPainter.drawText at every
paint of every row (a repaint follows each stroke; one third of the worklist's paint in a 30 000-image project,
`bench/bench_big_project_gui.py`), and the first rows shown loaded the icon font if nothing had yet. Now each
dot is a QIcon of pixmaps drawn once (`worklist_model.dot_icon`): a paint copies them."""

from __future__ import annotations

import numpy as np
import qtawesome.iconic_font as iconic_font
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor

from app.annotation import worklist_model
from app.annotation.worklist_model import WorklistModel, status_colors
from app.annotation.worklist_view import WorklistView
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry

from .theme_helpers import image_pixels


def _rows(count: int) -> list[ImageEntry]:
    statuses = list(Status)
    return [ImageEntry(f"img{i:05}", f"JPEGImages/img{i:05}.jpg", statuses[i % len(statuses)], None)
            for i in range(count)]


def test_worklist_s35_the_dots_are_made_once_per_status_and_painted_without_a_glyph(qtbot, monkeypatch) -> None:  # noqa: ANN001
    made: list[str] = []
    real_dot = getattr(worklist_model, "dot_icon", None)
    monkeypatch.setattr(worklist_model, "dot_icon", lambda color: made.append(color) or real_dot(color), raising=False)
    glyphs: list[int] = []
    real_paint = iconic_font.CharIconPainter.paint
    monkeypatch.setattr(iconic_font.CharIconPainter, "paint", lambda *a, **k: glyphs.append(1) or real_paint(*a, **k))
    model = WorklistModel()
    asked: list[int] = []
    real_data = WorklistModel.data
    monkeypatch.setattr(WorklistModel, "data", lambda self, index, role=0: asked.append(role) or real_data(self, index, role))
    view = WorklistView()
    qtbot.addWidget(view)
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(240, 600)
    view.show()
    qtbot.waitExposed(view)
    model.set_rows(_rows(3000), {}, None)
    qtbot.wait(20)  # the reset's rows laid out (a turn of the event loop)
    for _ in range(5):
        view.viewport().repaint()
    shown = view.viewport().height() // max(1, view.sizeHintForRow(0))
    assert shown > 10, shown  # rows were painted ...
    assert asked.count(Qt.ItemDataRole.DecorationRole) >= 5 * shown, "the rows' dots were painted"
    assert glyphs == [], f"a glyph drawn {len(glyphs)} times"
    assert len(made) == len(Status), made  # ... their dots made once per status, not per row or paint
    dots = model.dots()
    assert dots is model.dots() and all(icon.availableSizes() for icon in dots.values())
    for status, color in status_colors().items():  # each dot is its status's colour, sharp at 1x and 2x
        for side in (16, 32):
            pixels = image_pixels(dots[status].pixmap(QSize(side, side)).toImage(), alpha=True)
            opaque = pixels[pixels[..., 3] == 255][:, :3]
            assert len(opaque) > side * side // 3, (status, side)
            assert {QColor(*c).name() for c in np.unique(opaque, axis=0)} == {QColor(color).name()}
