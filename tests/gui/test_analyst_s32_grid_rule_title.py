"""The compare grid's prediction panel, under a region rule, was titled "prediction (threshold 0.50,
core:0.7)": the rule's code, without even the word "regions" the metrics note puts before it; a figure cut
from the window did not say what "core:0.7" kept. It now says it in the Model panel's words ("regions
with a core above 0.7"); a rule the panel does not offer is worded alike (keep_words)."""

from __future__ import annotations

from app.analysis.compare_grid import column_titles


def test_the_rule_is_said_in_words() -> None:
    title = column_titles(0.5, "core:0.7")[-1]
    assert "regions with a core above 0.7" in title and "core:0.7" not in title, title
    assert "regions of at least 40 pixels" in column_titles(0.5, "area:40")[-1]
    assert "regions" not in column_titles(0.5)[-1]
