"""Review as a user (R2, 30 SmokeSeg pairs pre-labelled, reopened, Run on all, 1366x768): the metrics
note that says why 29 labelled images are not scored wraps to six lines in the Model dock, but the
metrics box kept the height of its size hint (worked out at 477 px wide, the note on fewer lines): the
note was drawn over the table's "large" row and its last lines were cut off."""

from __future__ import annotations

from app.analysis.readouts import UNSCORED_WHY
from tests.gui.conftest import WindowFactory

LONG_NOTE = ("1 labelled image with results; threshold 0.50, τ 0.15; 29 labelled images left out by Run on All Images "
             f"are not scored: {UNSCORED_WHY}; Annotate ▸ Run on All Again scores them")


def test_a_long_metrics_note_sits_below_the_table_whole(qtbot, make_window: WindowFactory) -> None:
    window = make_window(show=True)
    window.resize(1366, 768)
    box = window.analysis.metrics
    box.set_scores(None, {}, LONG_NOTE)
    qtbot.waitUntil(lambda: box.note.text() == LONG_NOTE)
    for _ in range(5):
        qtbot.wait(20)
    table, note = box.table.geometry(), box.note.geometry()
    assert note.top() > table.bottom(), (table, note)  # not over the table's last row
    assert note.height() >= box.note.heightForWidth(note.width()), (note, box.note.heightForWidth(note.width()))
    assert note.bottom() < box.height(), (note, box.geometry())  # every line inside the box

    box.set_scores(None, {}, "1 labelled image with results; threshold 0.50, τ 0.15")  # short again: no gap left
    for _ in range(5):
        qtbot.wait(20)
    assert box.height() <= box.layout().totalHeightForWidth(box.width()) + 1
