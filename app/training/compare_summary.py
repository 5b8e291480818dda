"""The summary text of Compare Two Checkpoints (rich text): the rows' account
(`fosp_core.analysis.compare.summary_lines`), what they were run with, and - when a checkpoint was
trained on some of the images - how many and the scores over the held-out rest
(`fosp_core.analysis.compare_trained`)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea

from fosp_core.analysis.compare import CompareRow, summarize, summary_lines, truth_sources_line
from fosp_core.analysis.compare_report import CompareRequest, settings_text
from fosp_core.analysis.compare_trained import Marks, trained_summary_lines
from fosp_core.analysis.settings import device_words

__all__ = ["SUMMARY_LINES", "SummaryLabel", "summary_box", "summary_html"]

#: The summary's box shows this many lines and scrolls for more (a project's ground truth and a
#: fine-tune's held-out account make 17: the label alone left the table one row at 1366 x 768).
SUMMARY_LINES = 7


def summary_html(rows: Sequence[CompareRow], request: CompareRequest | None, marks: Marks) -> str:
    """"" without rows; else the summary's lines joined by <br> (F_beta written F_β, as the table's headers
    and the metrics box write it)."""
    if not rows:
        return ""
    lines = summary_lines(summarize(rows))
    if (sources := truth_sources_line(rows)) is not None:  # a project's masks among the ground truth
        lines.append(sources[0].upper() + sources[1:] + ".")
    if request is not None:  # the settings these rows were run with, whatever the panel says now
        r = request
        lines.append(f"Run on {device_words(r.device)}, {settings_text(r.input, r.input_size, r.threshold, r.keep, r.tau)}.")
    lines += trained_summary_lines(rows, marks)
    return "<br>".join(html.escape(line).replace("F_beta", "F_β") for line in lines)



class SummaryLabel(QLabel):
    """The summary (rich text, wrapped); in :func:`summary_box` its box is as high as its text, at most
    :data:`SUMMARY_LINES` lines (it scrolls for the rest), and takes no room while it is empty."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.box: QScrollArea | None = None

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._fit()

    def clear(self) -> None:
        super().clear()
        self._fit()

    def _fit(self) -> None:
        if self.box is None:
            return
        most = self.fontMetrics().lineSpacing() * SUMMARY_LINES + 4
        width = max(self.box.viewport().width(), 200)
        self.box.setFixedHeight(min(self.heightForWidth(width) + 4, most) if self.text() else 0)
        # Tab reaches it (arrows scroll a long summary) only when there is something to read
        self.box.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.text() else Qt.FocusPolicy.NoFocus)


def summary_box(label: SummaryLabel) -> QScrollArea:
    """`label` (the summary) in a frameless box that scrolls past :data:`SUMMARY_LINES` lines, so that
    the table and the previews below keep their room."""
    box = QScrollArea()
    box.setAccessibleName("Comparison summary")
    box.setWidget(label)
    box.setWidgetResizable(True)
    box.setFrameShape(QFrame.Shape.NoFrame)
    label.box = box
    label.clear()
    return box
