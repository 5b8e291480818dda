"""The summary text of Compare Two Checkpoints (rich text): the rows' account
(`fosp_core.analysis.compare.summary_lines`), what they were run with, and - when a checkpoint was
trained on some of the images - how many and the scores over the held-out rest
(`fosp_core.analysis.compare_trained`)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from fosp_core.analysis.compare import CompareRow, summarize, summary_lines, truth_sources_line
from fosp_core.analysis.compare_report import CompareRequest, settings_text
from fosp_core.analysis.compare_trained import Marks, trained_summary_lines
from fosp_core.analysis.settings import device_words

__all__ = ["summary_html"]


def summary_html(rows: Sequence[CompareRow], request: CompareRequest | None, marks: Marks) -> str:
    """"" without rows; else the summary's lines joined by <br> (F_beta written F<sub>β</sub>)."""
    if not rows:
        return ""
    lines = summary_lines(summarize(rows))
    if (sources := truth_sources_line(rows)) is not None:  # a project's masks among the ground truth
        lines.append(sources[0].upper() + sources[1:] + ".")
    if request is not None:  # the settings these rows were run with, whatever the panel says now
        r = request
        lines.append(f"Run on {device_words(r.device)}, {settings_text(r.input, r.input_size, r.threshold, r.keep, r.tau)}.")
    lines += trained_summary_lines(rows, marks)
    return "<br>".join(html.escape(line).replace("F_beta", "F<sub>β</sub>") for line in lines)
