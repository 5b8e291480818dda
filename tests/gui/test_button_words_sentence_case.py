"""Buttons say what they do in sentence case, as every panel's do ("Run on this image", "Predict whole
video", "Export frames…"; menus use title case): the fine-tune dialog's "Use This Model" and "New Run"
were the two in title case."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWidget

KEPT = {"CSV", "SmokeSeg"}  # an abbreviation or a name keeps its capitals


def _title_cased(widget: QWidget) -> list[str]:
    """The texts of `widget`'s push buttons with a capitalised word after the first."""
    wrong = []
    for button in widget.findChildren(QPushButton):
        words = button.text().replace("&", "").replace("…", "").split()
        if any(word[:1].isupper() and word not in KEPT for word in words[1:]):
            wrong.append(button.text())
    return wrong


def test_buttons_are_in_sentence_case(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    fine_tune = window.training.open_dialog()
    compare = window.training.open_compare()
    assert [len(w.findChildren(QPushButton)) > 0 for w in (window, fine_tune, compare)] == [True] * 3
    assert _title_cased(window) + _title_cased(fine_tune) + _title_cased(compare) == []
