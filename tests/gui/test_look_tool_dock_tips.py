"""Help ▸ Getting Started ends "Hover any button or setting to read what it does", and in the Annotate
dock two settings said nothing when hovered: the Wand tolerance and Mask opacity sliders (the brush
radius, the threshold and the outline box had their words). Every setting and button of the dock now
has a tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QWidget


def test_every_setting_of_the_annotate_dock_says_what_it_does(qtbot, make_window) -> None:
    window = make_window()
    dock = window.annotation.tool_dock
    silent = [w.accessibleName() or type(w).__name__
              for w in dock.findChildren(QWidget)
              if isinstance(w, (QSlider, QAbstractSpinBox, QAbstractButton, QComboBox))
              and not w.objectName().startswith("qt_") and not w.toolTip()]
    assert silent == []
    assert "wand" in dock.tolerance.toolTip().lower()
    assert "opaque" in dock.opacity.toolTip().lower()
