"""The Model panel's Regions box showed a rule it does not offer as its code (session 36's review:
``--screenshot --run-model --regions area:400`` of the demo): "area:400" in the box, right above the mask's
legend saying "regions of at least 400 pixels at a 512 px long side". Every other place words a rule
(:func:`fosp_core.analysis.settings.keep_words`, "never the code"); the box now does too, as its own items
read ("With a core above 0.7")."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("rule", "words"), [("area:400", "Of at least 400 pixels at a 512 px long side"),
                                             ("mean:0.6", "With a mean probability above 0.6"),
                                             ("core:0.75", "With a core above 0.75")])
def test_a_rule_the_panel_does_not_offer_is_shown_in_words(make_window, rule: str, words: str) -> None:  # noqa: ANN001
    window = make_window()
    panel = window.analysis.panel
    window.analysis.settings.set_keep(rule)
    assert panel.keep_combo.currentText() == words  # was the code, "area:400"
    assert panel.keep_combo.currentData() == rule  # (the rule itself is kept as it was)
    window.analysis.settings.set_keep("core:0.7")
    assert panel.keep_combo.currentText() == "With a core above 0.7"  # the offered ones as before
