"""The Annotate dock's brush radius box and slider said "over the image, [ and ] or Ctrl+wheel change it" whatever
keys Smaller / Larger Brush had: remapped in Annotation Shortcuts… (here to - and =), the tooltip named keys that no
longer did anything. It names the keys in force, and Ctrl+wheel alone when both are cleared."""

from __future__ import annotations

from tests.gui.conftest import WindowFactory


def test_words_s36_the_radius_tooltip_names_the_brush_keys_in_force(make_window: WindowFactory) -> None:
    window = make_window()
    dock, shortcuts = window.annotation.tool_dock, window.annotation.shortcuts
    assert dock.radius.toolTip() == "Brush radius in image pixels; over the image, [ and ] or Ctrl+wheel change it"
    shortcuts.set_keys("brush_smaller", ["-"])
    shortcuts.set_keys("brush_larger", ["="])
    for widget in (dock.radius, dock.radius_slider):
        assert widget.toolTip() == "Brush radius in image pixels; over the image, - and = or Ctrl+wheel change it"
    shortcuts.set_keys("brush_smaller", [])
    shortcuts.set_keys("brush_larger", [])
    assert dock.radius.toolTip() == "Brush radius in image pixels; over the image, Ctrl+wheel changes it"
