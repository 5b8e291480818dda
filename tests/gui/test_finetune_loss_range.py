"""The Fine-tune dialog's loss plot never shows a negative loss range: with a run's first logged
loss alone (one point) pyqtgraph centred a unit range on it, 0.3 over -0.2..0.8."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.training.curves import TrainingCurves
from fosp_core.train.finetune import TrainProgress


@pytest.mark.parametrize("losses", [[(5, 0.3)], [(5, 0.0)], [(5, 2.4)], [(5, 0.002), (10, 0.3)],
                                    [(5, 0.3), (10, 0.3)]])
def test_the_loss_range_holds_the_points_and_stops_at_zero(qtbot, losses: list[tuple[int, float]]) -> None:  # noqa: ANN001
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(760, 260)
    curves.show()
    qtbot.waitExposed(curves)
    curves.show_progress(TrainProgress(losses=losses))
    QApplication.processEvents()
    curves.loss_plot.vb.updateAutoRange()  # what the next paint does
    low, high = curves.loss_plot.viewRange()[1]
    assert low >= 0.0, (low, high)
    assert all(low <= y <= high for _, y in losses), (low, high)
    assert high > low
