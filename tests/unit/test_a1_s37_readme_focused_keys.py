"""README's keyboard paragraph said only that a focused slider, list or table keeps its arrow keys, while
`app.arrows_stay` claims Home / End / Page Up / Page Down for them too (deliberately: Qt moves a slider and a list
with them): a keyboard user pressing End on the opacity slider was not told it moves the slider, not the image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QAbstractSlider

from app.arrows_stay import KEYS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_says_a_focused_slider_keeps_home_end_and_page_keys() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    said = text.partition("a focused slider, list or table keeps its arrow keys")[2][:200]
    assert said.startswith(" and Home / End / Page Up / Page Down"), said
    kept = dict(KEYS)
    for kind in (QAbstractSlider, QAbstractItemView):  # what the README says, as arrows_stay claims them
        assert {Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown} <= kept[kind]
