"""Plots that follow the theme: a pyqtgraph view's background, its axes' lines and numbers, its titles
and what the owner draws in the theme's colours (:class:`PlotColors`), drawn again when
:func:`app.theme.theme_events` says the theme changed. In the dark theme a plot keeps pyqtgraph's own
look (black, grey axes); in the light one it is white with dark axes: the Fine-tune dialog's curves and
the video timeline stayed black in the light window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QObject

from app.theme import current_theme, theme_events

__all__ = ["PLOT_COLORS", "PlotColors", "PlotTheme", "plot_colors"]


@dataclass(frozen=True)
class PlotColors:
    """A theme's plot colours: `background`; `foreground`, the axes, their numbers and the titles;
    `grid`, grid lines (drawn faint); `mark`, a thin line across the plot (the timeline's playhead);
    `light`, whether the background is light (an owner picks darker shades of its curves there)."""

    background: str
    foreground: str
    grid: str
    mark: str
    light: bool


PLOT_COLORS = {
    # pyqtgraph's defaults: background "k", foreground "d" (150 grey)
    "dark": PlotColors("#000000", "#969696", "#bbbbbb", "#ffffff", light=False),
    # the light theme's base and text shades: the numbers 10:1 on white
    "light": PlotColors("#ffffff", "#404040", "#606060", "#000000", light=True),
}


def plot_colors() -> PlotColors:
    """The plot colours of the theme of the moment (:func:`app.theme.current_theme`)."""
    return PLOT_COLORS.get(current_theme().name, PLOT_COLORS["dark"])


class PlotTheme(QObject):
    """Keeps `view` (a PlotWidget or GraphicsLayoutWidget) in the theme's plot colours; `restyle`, when
    given, is called with the colours too, for what its owner draws (curves, a key under the plot).
    A child of the view: its connection to the theme's events goes with the view."""

    def __init__(self, view: pg.GraphicsView, restyle: Callable[[PlotColors], None] | None = None) -> None:
        super().__init__(view)
        self._view = view
        self._restyle = restyle
        theme_events().changed.connect(self.apply)
        self.apply()

    def apply(self, _name: str = "") -> None:
        """The view's background, axes and titles in the colours of the theme now."""
        colors = plot_colors()
        self._view.setBackground(colors.background)
        for item in self._view.scene().items():
            if isinstance(item, pg.AxisItem):
                item.setPen(colors.foreground)
                item.setTextPen(colors.foreground)
            elif isinstance(item, pg.LabelItem) and item.text:
                item.setText(item.text, color=colors.foreground)
        if self._restyle is not None:
            self._restyle(colors)
