"""An analyst's day, numbers: the metrics box says what `fosp eval` says, to a precision that tells
images apart, and says what its columns are."""

from __future__ import annotations

import math

from app.analysis.metrics_box import HEADERS, MetricsBox
from fosp_core.analysis.results import Scores


def _scores(m: float) -> Scores:
    return Scores(n=1, f_beta=0.5, iou=0.4, precision=0.6, recall=0.5, m=m)


def test_m_tells_small_plumes_apart(qtbot) -> None:
    """𝓜 (MSE) was shown to 2 decimals: every small-plume image and the whole small bucket of the
    SmokeSeg samples read "0.00" (fosp eval: 0.0049), two images 0.004 and 0.0004 apart read alike."""
    box = MetricsBox()
    qtbot.addWidget(box)
    box.set_scores(_scores(0.0049), {"small": _scores(0.0004)}, "")
    shown, small = box.value("this image", "𝓜"), box.value("small", "𝓜")
    assert shown != small
    assert math.isclose(float(shown), 0.0049, abs_tol=0.0006), shown
    assert math.isclose(float(small), 0.0004, abs_tol=0.0006), small


def test_every_column_says_what_it_is(qtbot) -> None:
    box = MetricsBox()
    qtbot.addWidget(box)
    tips = {h: box.table.horizontalHeaderItem(i).toolTip() for i, h in enumerate(HEADERS)}
    assert all(tips.values()), tips
    assert "%" in tips["F_β"] and "0.3" in tips["F_β"]
    assert "squared error" in tips["𝓜"]


def test_m_is_not_cut_in_a_narrow_dock(qtbot) -> None:
    """At 1280 x 800 the Model dock is ~290 px wide: with six equal columns 𝓜's "0.005" read "0...."."""
    box = MetricsBox()
    qtbot.addWidget(box)
    box.resize(290, 200)
    box.show()
    box.set_scores(_scores(0.0049), {"total": Scores(30, 0.337, 0.244, 0.356, 0.486, 0.0117)}, "")
    qtbot.waitExposed(box)
    column = HEADERS.index("𝓜")
    metrics = box.table.fontMetrics()
    for row in (0, 1):
        text = box.table.item(row, column).text()
        assert box.table.columnWidth(column) >= metrics.horizontalAdvance(text) + 6, (text, box.table.columnWidth(column))
