"""The Annotate dock's four slider rows did not line up: Brush radius's slider stopped short of the
others (its value is a spin box, theirs 36 px labels), so the slider ends and the values made a ragged
right-hand column ("12 px" started 30 px left of "0.15", "0.50", "50%"). The values now share one
column as wide as the spin box, so the sliders are one length and their values start at one x."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint


def _x(widget, dock) -> int:  # noqa: ANN001 - widgets
    return widget.mapTo(dock, QPoint(0, 0)).x()


def test_sliders_and_values_line_up(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path
    dock = window.annotation.tool_dock
    dock.raise_()
    qtbot.waitUntil(dock.isVisible)
    qtbot.waitUntil(lambda: dock.radius_slider.width() > 20)
    sliders = [dock.radius_slider, dock.tolerance, dock.threshold, dock.opacity]
    rights = {_x(s, dock) + s.width() for s in sliders}
    assert max(rights) - min(rights) <= 1, rights
    lefts = {_x(s, dock) for s in sliders}
    assert max(lefts) - min(lefts) <= 1, lefts
    values = [dock.radius, dock.tolerance_label, dock.threshold_label, dock.opacity_label]
    value_lefts = {_x(v, dock) for v in values}
    assert max(value_lefts) - min(value_lefts) <= 1, value_lefts
