"""Compare Two Checkpoints writes F_β one way, the house's (the metrics box's "F_β" header, the
training messages, DESIGN): its summary and the previews' captions wrote F<sub>β</sub> with a real
subscript under a table whose headers say "F_β A"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.analysis.metrics_box import HEADERS
from app.training.compare_previews import ComparePreviews
from app.training.compare_summary import summary_html
from app.training.compare_table import COLUMNS
from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.results import Scores


def test_summary_captions_and_headers_spell_f_beta_alike(qtbot) -> None:  # noqa: ANN001
    assert "F_β" in HEADERS and {"F_β A", "F_β B"} <= set(COLUMNS)  # the house's, and the table's
    s = Scores(1, 0.5, 0.4, 0.4, 0.5, 0.01)
    rows = [CompareRow(Path(f"/p/{i}.jpg"), (0.1, 0.1), 0.8, (s, s), 0.01) for i in range(2)]
    summary = summary_html(rows, None, {})
    assert "F_β total (2)" in summary and "<sub>" not in summary, summary
    pane = ComparePreviews()
    qtbot.addWidget(pane)
    pane.show_row(rows[0], (b"", b""), ["start", "tuned"])
    for caption in (pane.caption_a, pane.caption_b):
        assert caption.textFormat() == Qt.TextFormat.RichText
        assert "F_β 50.0" in caption.text() and "<sub>" not in caption.text(), caption.text()
