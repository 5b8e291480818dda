"""Compare's summary on training images, for a fine-tune of the shipped default (whose own training
images are not recorded): the images the fine-tune did not train on are unknown for it in the table
("B: unknown": the default may have seen them), so the summary must not call them held out of it
without saying what that means. Seen on a 4-photo project, default vs its 6-iteration fine-tune."""

from __future__ import annotations

from pathlib import Path

from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.compare_trained import trained_summary_lines
from fosp_core.analysis.results import Scores


def _row(name: str, f_a: float, f_b: float) -> CompareRow:
    return CompareRow(Path(f"/p/{name}.jpg"), (0.01, 0.01), 0.5,
                      (Scores(1, f_a, f_a, f_a, f_a, 0.1), Scores(1, f_b, f_b, f_b, f_b, 0.1)), 0.01,
                      truth="project mask (reviewed)")


def test_held_out_of_a_fine_tune_whose_start_is_not_recorded_says_what_it_means() -> None:
    rows = [_row("a", 0.1, 0.3), _row("b", 0.4, 0.5), _row("c", 0.0, 0.0), _row("d", 0.2, 0.2)]
    marks = {rows[0].path: (None, True), rows[1].path: (None, True),  # B's fine-tune trained on these
             rows[2].path: (None, None), rows[3].path: (None, None)}  # not those; its start: not recorded
    lines = trained_summary_lines(rows, marks)
    assert lines[0] == "Trained on 2 of these 4 images (B on 2): their scores flatter the model."
    said = "\n".join(lines)
    assert ("B cannot tell for 2 of the other images (not every image it was trained on is recorded: a "
            "fine-tune's starting weights' are not): held out below means not among the images B records.") \
        in said, said
    assert "Held out: 2 images compared" in said


def test_held_out_known_for_every_image_says_nothing_more() -> None:
    rows = [_row("a", 0.1, 0.3), _row("b", 0.4, 0.5)]
    lines = trained_summary_lines(rows, {rows[0].path: (False, True), rows[1].path: (False, False)})
    assert not any("cannot tell" in line for line in lines), lines
