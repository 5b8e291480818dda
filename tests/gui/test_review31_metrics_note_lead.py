"""The metrics note when no image is scored but labelled images Run on all left out are (401388b8 dropped
'no labelled results yet' there, which was false): the note began with what came after it, a bracket or
a semicolon (' (1 all-ignore label left out); 2 more ran ...', '; 2 more ran ... ; 3 labelled images left
out ...'). It leads with the left-out images; the rest follow as clauses."""

from __future__ import annotations

from app.analysis.readouts import NO_SCORES_TEXT, UNSCORED_WHY, metrics_note


def test_nothing_scored_but_left_out_images_lead_the_note() -> None:
    note = metrics_note(0, 1, 0.5, 0.15, "plain", pending=2, unscored=3)
    assert note == ("3 labelled images left out by Run on All Images are not scored: " + UNSCORED_WHY
                    + "; Annotate ▸ Run on All Again scores them; 1 all-ignore label left out; 2 more ran at "
                    "other settings or before their label changed: Run on All Images scores them")
    note = metrics_note(0, 0, 0.5, 0.15, "plain", unusable=1, unscored=1)
    assert note.startswith("1 labelled image left out by Run on All Images is not scored: ")
    assert note.endswith("Run on All Again scores it; 1 label unreadable or of another size than its image left out")


def test_the_other_notes_read_as_before() -> None:
    assert metrics_note(0, 0, 0.5, 0.15, "plain") == NO_SCORES_TEXT
    assert metrics_note(0, 1, 0.5, 0.15, "plain") == NO_SCORES_TEXT + " (1 all-ignore label left out)"
    note = metrics_note(2, 1, 0.5, None, "plain", unscored=1)
    assert note == ("2 labelled images with results; threshold\u00a00.50 (1 all-ignore label left out); 1 labelled "
                    "image left out by Run on All Images is not scored: " + UNSCORED_WHY
                    + "; Annotate ▸ Run on All Again scores it")
