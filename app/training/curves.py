"""The Fine-tune dialog's two plots: the training loss and the validation F_β of a run, as its log
(`fosp_core.train.finetune.TrainProgress`) has them so far."""

from __future__ import annotations

import pyqtgraph as pg

from fosp_core.train.finetune import TrainProgress

__all__ = ["TrainingCurves"]

LOSS_COLOR = "#e2782a"
SCORE_COLOR = "#4fc3f7"


class TrainingCurves(pg.GraphicsLayoutWidget):
    """Loss (left) and validation F_β at threshold 0.5 (right, 0..1), one point per logged record."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("finetune_plots")
        self.setAccessibleName("Training curves")
        self.setAccessibleDescription("Training loss (left) and validation F-beta at threshold 0.5 (right) "
                                      "per logged iteration; the status line above says the latest values")
        self.setMinimumHeight(220)
        self.loss_plot = self.addPlot(title="training loss")
        self.loss_plot.showGrid(x=True, y=True, alpha=0.15)
        self.loss_plot.setMenuEnabled(False)
        # points too: a run's first logged loss is one point, which a line alone does not draw
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOR, width=2), symbol="o", symbolSize=4,
                                              symbolBrush=LOSS_COLOR, symbolPen=None)
        self.score_plot = self.addPlot(title="validation F<sub>β</sub> (threshold 0.5)")
        self.score_plot.showGrid(x=True, y=True, alpha=0.15)
        self.score_plot.setMenuEnabled(False)
        self.score_plot.setYRange(0, 1, padding=0.02)
        self.score_curve = self.score_plot.plot(pen=pg.mkPen(SCORE_COLOR, width=2), symbol="o", symbolSize=7,
                                                symbolBrush=SCORE_COLOR)

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
