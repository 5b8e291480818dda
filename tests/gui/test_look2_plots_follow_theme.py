"""The Fine-tune dialog's curves and the video timeline's plot follow the theme: in the light theme
they stayed black (pyqtgraph's own background) inside the light window; their numbers stay readable
(4.5:1) on the plot's background in both themes, and they go back to black in the dark one."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor

from app.theme import apply_theme
from app.training.curves import TrainingCurves
from app.video.timeline_widget import TimelineWidget
from tests.gui.theme_helpers import restore_theme  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("restore_theme")


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _check(view: pg.GraphicsView, light: bool) -> None:
    background = view.backgroundBrush().color()
    assert (background.lightness() > 200) == light, background.name()
    axes = [i for i in view.scene().items() if isinstance(i, pg.AxisItem) and i.isVisible()]
    assert axes
    for axis in axes:
        assert _contrast(axis.textPen().color(), background) >= 4.5, (axis.textPen().color().name(), background.name())


def test_the_finetune_curves_and_the_timeline_follow_the_theme(qtbot, qapp) -> None:  # noqa: ANN001
    curves = TrainingCurves()
    timeline = TimelineWidget()
    for widget in (curves, timeline):
        qtbot.addWidget(widget)
    apply_theme(qapp, "light")
    _check(curves, light=True)
    _check(timeline.plot, light=True)
    assert "#000000" not in timeline.key_label.styleSheet()  # the key under the plot: on its background
    apply_theme(qapp, "dark")
    _check(curves, light=False)
    _check(timeline.plot, light=False)


def test_a_plot_made_in_the_light_theme_is_light(qtbot, qapp) -> None:  # noqa: ANN001
    apply_theme(qapp, "light")
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    _check(curves, light=True)
