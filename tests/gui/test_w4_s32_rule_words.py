"""The region rule ("keep") has one wording, :func:`fosp_core.analysis.settings.keep_words`, wherever
the app shows it: the metrics note under the Model panel, a comparison's settings (the Compare dialog's
status and summary), the mask's legend, the compare grid's title. The note said the raw code
("regions core:0.7") and a comparison its own words ("regions: With a core above 0.7"); a rule the
panel does not offer showed its code everywhere ("regions mean:0.6"). The code is only for
``fosp eval --keep`` and a comparison CSV's "regions" column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.analysis.grid_titles import column_titles
from app.analysis.layer_list import mask_words
from app.analysis.readouts import metrics_note
from fosp_core.analysis.compare_report import settings_text
from fosp_core.analysis.settings import KEEP_CHOICES, keep_words

CODE = re.compile(r"\b(core|mean|area):\d")
RULES = [code for code, _ in KEEP_CHOICES if code != "plain"] + ["core:0.6", "mean:0.6", "area:64"]
NBSP = "\u00a0"


def shown(keep: str) -> dict[str, str]:
    """Every string the app words `keep` in, by where."""
    return {
        "metrics note": metrics_note(12, 1, 0.5, 0.15, keep, pending=3),
        "comparison settings": settings_text("default", 512, 0.5, keep, 0.3),
        "mask legend": mask_words(0.5, keep),
        "compare grid title": column_titles(0.5, keep)[-1],
    }


@pytest.mark.parametrize("keep", RULES)
def test_no_place_shows_a_rule_code(keep: str) -> None:
    words = keep_words(keep)
    assert words.startswith("regions ") and not CODE.search(words), words
    for where, text in shown(keep).items():
        assert not CODE.search(text), (where, text)
        assert words in text.replace(NBSP, " "), (where, words, text)  # the one wording


def test_the_words_of_each_rule() -> None:
    assert keep_words("core:0.7") == "regions with a core above 0.7"
    assert keep_words("core:0.6") == "regions with a core above 0.6"
    assert keep_words("mean:0.6") == "regions with a mean probability above 0.6"
    assert keep_words("area:64") == "regions of at least 64 pixels at a 512 px long side"
    assert keep_words("plain") == ""


def test_all_regions_says_so_where_a_comparison_names_its_settings_and_nothing_elsewhere() -> None:
    texts = shown("plain")
    assert texts["comparison settings"] == "512 px, as trained, mask threshold 0.50, all regions, τ 0.30"
    for where in ("metrics note", "mask legend", "compare grid title"):
        assert "regions" not in texts[where], (where, texts[where])


def test_the_video_panel_names_the_models_rule_in_the_same_words(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """Video mode's model line said "fake · regions mean:1" (app/video/predicting.py)."""
    from tests.gui.test_video_view import _predicting, write_clip

    window, video, _ = _predicting(qtbot, make_window, write_clip(tmp_path / "clip.mp4", frames=24, fps=24.0))
    for keep in ("core:0.7", "mean:1"):
        window.analysis.settings.set_keep(keep)
        text = video.panel.model_label.text().replace("\u200b", "")
        assert not CODE.search(text) and text.endswith(f"· {keep_words(keep)}"), text
    window.analysis.settings.set_keep("plain")
    assert "regions" not in video.panel.model_label.text()
