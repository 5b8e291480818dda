"""The Fine-tune dialog's two plots: the training loss and the validation F_β of a run, as its log
(`fosp_core.train.finetune.TrainProgress`) has them so far. Their titles follow the widget's font
(the application font: a 14 pt system font), as the axes' numbers do: pyqtgraph draws a title at a
fixed 11 pt, smaller than the numbers under it at 14 pt. They follow the theme (`app.plot_theme`):
white in the light one, where they stayed black."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent

from app.plot_theme import PlotColors, PlotTheme
from fosp_core.train.finetune import TrainProgress

__all__ = ["TrainingCurves"]

LOSS_COLOR = "#e2782a"
SCORE_COLOR = "#4fc3f7"
#: the curves on the light theme's white: darker shades of the same hues (3.6:1 and 4.8:1 on white)
LIGHT_LOSS_COLOR = "#c45f12"
LIGHT_SCORE_COLOR = "#0277bd"
LOSS_TITLE = "training loss"
SCORE_TITLE = "validation F<sub>β</sub> (threshold 0.5)"
#: A title's size over the font's: pyqtgraph's 11 pt title over the 9 pt default font (the look kept there).
TITLE_SCALE = 11 / 9


def title_size(font_points: float, font_pixels: int) -> str:
    """The CSS size of a plot title for a font of `font_points` (or, where that is -1, `font_pixels`)."""
    if font_points > 0:
        return f"{font_points * TITLE_SCALE:.1f}pt"
    return f"{round(font_pixels * TITLE_SCALE)}px"


class TrainingCurves(pg.GraphicsLayoutWidget):
    """Loss (left) and validation F_β at threshold 0.5 (right, 0..1), one point per logged record."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("finetune_plots")
        self.setAccessibleName("Training curves")
        self.setAccessibleDescription("Training loss (left) and validation F-beta at threshold 0.5 (right) "
                                      "per logged iteration; the status line above says the latest values")
        self.setMinimumHeight(180)  # 220 made the dialog 588 px at least: Start and Close off a 1024 x 600 screen
        self.loss_plot = self.addPlot()
        self.loss_plot.showGrid(x=True, y=True, alpha=0.15)
        self.loss_plot.setMenuEnabled(False)
        # a loss is never negative: the range stops at 0 (a first point alone was shown over -0.2..0.8,
        # pyqtgraph's ±0.5 around a single value)
        self.loss_plot.setLimits(yMin=0.0)
        # points too: a run's first logged loss is one point, which a line alone does not draw
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOR, width=2), symbol="o", symbolSize=4,
                                              symbolBrush=LOSS_COLOR, symbolPen=None)
        self.score_plot = self.addPlot()
        self.score_plot.showGrid(x=True, y=True, alpha=0.15)
        self.score_plot.setMenuEnabled(False)
        self.score_plot.setYRange(0, 1, padding=0.02)
        self.score_curve = self.score_plot.plot(pen=pg.mkPen(SCORE_COLOR, width=2), symbol="o", symbolSize=7,
                                                symbolBrush=SCORE_COLOR)
        for column in (0, 1):  # two plots of one width, whatever their titles' widths
            self.ci.layout.setColumnStretchFactor(column, 1)
        self._fit_titles()
        self.plot_theme = PlotTheme(self, self._recolor)

    def _recolor(self, colors: PlotColors) -> None:
        """The curves in the shades of the theme's plot background."""
        loss, score = (LIGHT_LOSS_COLOR, LIGHT_SCORE_COLOR) if colors.light else (LOSS_COLOR, SCORE_COLOR)
        self.loss_curve.setPen(pg.mkPen(loss, width=2))
        self.loss_curve.setSymbolBrush(loss)
        self.score_curve.setPen(pg.mkPen(score, width=2))
        self.score_curve.setSymbolBrush(score)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """A new font (the application's changed): the titles follow it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_titles()

    def _fit_titles(self) -> None:
        """Both titles at :func:`title_size` of the widget's font, their row as tall as the text
        (`PlotItem.setTitle` caps it at 30 px, which cuts a title over about 16 pt)."""
        font = self.font()
        size = title_size(font.pointSizeF(), font.pixelSize())
        for plot, title in ((self.loss_plot, LOSS_TITLE), (self.score_plot, SCORE_TITLE)):
            plot.setTitle(title, size=size)
            label = plot.titleLabel
            label.setMaximumHeight(max(30.0, label.item.boundingRect().height()))

    def show_progress(self, p: TrainProgress) -> None:
        if p.losses:
            xs, ys = zip(*p.losses, strict=True)
            self.loss_curve.setData(list(xs), list(ys))
        if p.scores:
            xs, ys = zip(*p.scores, strict=True)
            self.score_curve.setData(list(xs), list(ys))

    def clear_curves(self) -> None:
        self.loss_curve.setData([], [])
        self.score_curve.setData([], [])
