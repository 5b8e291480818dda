"""Review as a user (R2): the words Run on all leaves in the Model panel and under the metrics.
A second Run on all over images that all have results said "every image already has a result" in
lower case (every other line of the panel starts with a capital), and the note for pre-labelled
images read "29 labelled images left out by Run on All not scored: ..." (no verb)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.readouts import UNSCORED_WHY, metrics_note
from tests.gui.annotation_helpers import copy_demo
from tests.gui.conftest import WindowFactory
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


def test_a_run_on_all_with_nothing_left_says_so_with_a_capital(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    folder = copy_demo(demo_dir, tmp_path / "photos")
    window, ctl = ready_window(qtbot, make_window, checkpoint, [folder], tmp_path / "projects")
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    assert run_all(qtbot, ctl) is None
    text = ctl.panel.status_label.text()
    assert text == "Every image already has a result", text
    assert not ctl.panel.cancel_button.isVisible() and not ctl.panel.progress.isVisible()


@pytest.mark.parametrize(("unscored", "words"), [(29, "29 labelled images left out by Run on All Images are not scored: "),
                                                 (1, "1 labelled image left out by Run on All Images is not scored: ")])
def test_the_note_for_images_with_no_kept_scores_reads_as_a_sentence(unscored: int, words: str) -> None:
    note = metrics_note(1, 0, 0.5, 0.15, "plain", unscored=unscored)
    assert words + UNSCORED_WHY in note, note


def test_the_panel_line_for_unscored_images_leaves_the_why_to_the_metrics_note() -> None:
    """The panel line said the note's why again (7 lines in the Model dock at 1366x768: the note under
    the table then needed the dock scrolled); it counts them and points to the note."""
    from app.analysis.run_plan import summarised_note

    line = summarised_note(29, 29)
    assert UNSCORED_WHY not in line, line
    assert line.endswith("; 29 of them are labelled but not scored: the note under the table says why"), line
    assert summarised_note(1, 1).endswith("; it is labelled but not scored: the note under the table says why")
