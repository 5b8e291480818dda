"""The worklist's Show and Sort by are kept between sessions, as the tools' settings are. An
annotator working through "Not reviewed" by "Model uncertainty" closed the window, opened it again
and found "All images" by "Name": N (next unreviewed, in the worklist's order) then went elsewhere."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import demo_window


def test_show_and_sort_come_back(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    worklist = window.annotation.worklist
    worklist.filter.setCurrentIndex(worklist.filter.findText("Not reviewed"))
    worklist.sort.setCurrentIndex(worklist.sort.findText("Model uncertainty"))
    window.close()
    again = make_window().annotation.worklist  # the same settings file
    assert again.filter.currentText() == "Not reviewed"
    assert again.sort.currentText() == "Model uncertainty"
    assert again.sort_key == "uncertainty"


def test_a_hand_edited_choice_falls_back_to_the_default(qtbot, make_window) -> None:
    window = make_window()
    settings = window.services.settings
    settings.setValue("annotation/worklist/show", "Nonsense")
    settings.setValue("annotation/worklist/sort", "nonsense")
    window.close()
    again = make_window().annotation.worklist
    assert again.filter.currentText() == "All images" and again.sort_key == "name"
