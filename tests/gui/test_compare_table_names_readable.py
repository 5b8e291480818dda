"""Compare Two Checkpoints' table keeps its images' names readable: the "ground truth" column (a
project's masks, "project mask (reviewed)") and the "trained on" words ("A: not recorded, B: unknown")
took the dialog's width, and the image column, stretched into what was left, was about 30 px wide at
the dialog's size ("2...", seen in a 1366 x 768 capture of a run on a 4-photo project)."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt

from app.training.compare_table import CompareTable
from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.results import Scores

NAMES = ("20180706_West_lp-n-mobo-c__1530902221_+00540.jpg", "20200822_BrattonFire_lp-s-mobo-c__1598128445_+02280.jpg")


def test_the_image_column_stays_readable_beside_long_truth_and_trained_words(qtbot) -> None:  # noqa: ANN001
    table = CompareTable()
    qtbot.addWidget(table)
    table.resize(760, 200)  # the dialog's table at its default size
    table.show()
    qtbot.waitExposed(table)
    s = Scores(1, 0.09, 0.07, 0.07, 0.5, 0.01)
    for name in NAMES:
        row = CompareRow(Path("/p") / name, (0.03, 0.01), 0.2, (s, s), 0.004, truth="project mask (reviewed)")
        table.add_row(row, "A: not recorded, B: unknown")
    table.add_row(CompareRow(Path("/p/x.jpg"), (0.01, 0.0), 0.5, None, math.nan))
    qtbot.wait(20)
    assert table.columnWidth(0) >= 200, table.columnWidth(0)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle  # a name's start and its end both show
