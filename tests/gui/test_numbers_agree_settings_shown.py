"""The threshold and τ the app says it scored at are the ones it used, to the slider's step (0.001).

The Model panel's threshold and τ move in steps of 0.001 (typed, the slider, Alt+Up from 0.487) but
the metrics note, the compare grid's title (and so the exported view) and the compare report printed
them to 2 decimals: scores at threshold 0.487 were labelled "threshold 0.49", and `fosp eval
--threshold 0.49` (what the label says) gives other numbers than the box.
"""

from __future__ import annotations

from app.analysis.compare_grid import column_titles
from app.analysis.readouts import metrics_note
from fosp_core.analysis.compare_report import settings_text
from fosp_core.metrics.report import setting_text


def test_setting_text_keeps_the_third_decimal() -> None:
    assert [setting_text(v) for v in (0.5, 0.487, 0.15, 0.155, 1.0, 0.0)] == \
        ["0.50", "0.487", "0.15", "0.155", "1.00", "0.00"]


def test_the_metrics_note_names_the_threshold_and_tau_used() -> None:
    note = metrics_note(4, 0, 0.487, 0.155, "plain")
    assert "threshold\u00a00.487" in note and "τ\u00a00.155" in note, note
    assert "threshold\u00a00.50," in metrics_note(4, 0, 0.5, 0.15, "plain")


def test_the_grid_title_and_the_compare_report_name_the_threshold_used() -> None:
    assert "threshold 0.487" in column_titles(0.487)[-1]
    assert "threshold 0.50" in column_titles(0.5)[-1]
    assert "mask threshold 0.487," in settings_text("default", 512, 0.487, "plain")
