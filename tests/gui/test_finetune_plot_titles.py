"""The Fine-tune dialog's plot titles follow the application font: pyqtgraph draws a title at a fixed
11 pt, so with a 14 pt system font the titles were smaller than the axes' numbers under them (which
follow the font). Now a title is the font's size x 11/9 (11 pt at the default 9 pt: the look kept), its
row as tall as its text (pyqtgraph caps the row at 30 px), and it follows a font changed later."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from app.training.curves import TrainingCurves, title_size
from tests.gui.app_font import application_font


def _curves(qtbot) -> TrainingCurves:  # noqa: ANN001 - pytest-qt's qtbot
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(760, 260)
    curves.show()
    qtbot.waitExposed(curves)
    QApplication.processEvents()
    return curves


def _title_heights(curves: TrainingCurves) -> list[tuple[float, float]]:
    """(text height, its row's height) of each title, in pixels."""
    return [(plot.titleLabel.item.boundingRect().height(), plot.titleLabel.geometry().height())
            for plot in (curves.loss_plot, curves.score_plot)]


def test_the_title_sizes_follow_the_font() -> None:
    assert title_size(9.0, -1) == "11.0pt"  # pyqtgraph's own title size at the default font
    assert title_size(14.0, -1) == "17.1pt"
    assert title_size(-1.0, 18) == "22px"


@pytest.mark.parametrize("points", [9.0, 14.0])
def test_titles_are_taller_than_a_line_of_the_font_and_not_cut(qtbot, qapp, points: float) -> None:  # noqa: ANN001
    with application_font(qapp, points):
        curves = _curves(qtbot)
        line = QFontMetricsF(curves.font()).height()
        for text, row in _title_heights(curves):
            assert text >= 1.4 * line  # a title over the numbers (26 px on a 14 px line at 9 pt; was 26 on 22 at 14)
            assert row >= text  # the whole text in its row
        axis = curves.loss_plot.getAxis("bottom")
        assert curves.font().pointSizeF() == points and axis.isVisible()


def test_titles_grow_with_the_font_from_9_to_14_pt(qtbot, qapp) -> None:  # noqa: ANN001
    with application_font(qapp, 9.0):
        small = [text for text, _ in _title_heights(_curves(qtbot))]
    with application_font(qapp, 14.0):
        large = [text for text, _ in _title_heights(_curves(qtbot))]
    assert all(b >= a * 1.25 for a, b in zip(small, large, strict=True)), (small, large)  # was: equal


def test_titles_follow_a_font_changed_after_they_were_drawn(qtbot, qapp) -> None:  # noqa: ANN001
    with application_font(qapp, 9.0):
        curves = _curves(qtbot)
        before = [text for text, _ in _title_heights(curves)]
        with application_font(qapp, 14.0):
            QApplication.processEvents()
            after = [text for text, _ in _title_heights(curves)]
    assert all(b >= a * 1.25 for a, b in zip(before, after, strict=True)), (before, after)
