"""A perfect score fits its column in the metrics box: "100", not "10…".

Found in the analyst's day of session 29 (task I): an image whose labelled smoke the model found
whole (recall 100 %) read "10…" in the R column at the Model dock's width (296 px, any window
size): "100.0" needs 31 px of text and its 36 px column keeps 3 px of margin each side. 100 % is
now written "100" (99.95 % and up round to it), which fits, as every other value does."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle

from app.analysis.metrics_box import HEADERS, _fmt
from fosp_core.analysis.results import Scores


def test_full_marks_fit_their_columns(qtbot, make_window) -> None:
    window = make_window(show=True)
    window.resize(1280, 800)
    box = window.analysis.metrics
    full = Scores(1, 1.0, 1.0, 1.0, 1.0, 1.0)
    box.set_scores(full, {"total": Scores(1234, 1.0, 1.0, 1.0, 1.0, 1.0)}, "")
    qtbot.wait(50)
    table = box.table
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1  # Qt's item margin
    metrics = table.fontMetrics()
    for row in (0, 1):
        for column, header in enumerate(HEADERS):
            item = table.item(row, column)
            need = metrics.horizontalAdvance(item.text()) + 2 * margin
            assert need <= table.visualItemRect(item).width(), (header, item.text(), need)


def test_percent_words() -> None:
    assert [_fmt(v) for v in (1.0, 0.99951, 0.9994, 0.5, 0.0)] == ["100", "100", "99.9", "50.0", "0.0"]
    assert _fmt(1.0, percent=False) == "1.000"
