"""The annotation tool state: which tool is active and its settings, as a plain evented model.

No Qt: the tool dock binds its widgets to a `ToolState` both ways (widgets call the setters; they
update themselves from `changed` under a signal blocker), and the canvas controller reads it when
a mouse event arrives. `changed` emits the name of the field that changed.
"""

from __future__ import annotations

import enum

from fosp_core.annotation.events import Signal

__all__ = ["MAX_RADIUS", "MIN_RADIUS", "Tool", "ToolState"]

MIN_RADIUS = 0
MAX_RADIUS = 400


class Tool(enum.StrEnum):
    """The canvas tools. Values are stable (used as shortcut and settings keys)."""

    NAVIGATE = "navigate"  # left-drag pans, nothing is edited
    BRUSH = "brush"  # paint smoke (1)
    ERASER = "eraser"  # paint background (0)
    IGNORE = "ignore_brush"  # paint ignore (255), for soft edges
    THRESHOLD_BRUSH = "threshold_brush"  # paint smoke only where probability > threshold
    POLYGON_FILL = "polygon_fill"  # click vertices, double-click / Enter closes
    POLYGON_CUT = "polygon_cut"
    LASSO_FILL = "lasso_fill"  # drag a freehand outline
    LASSO_CUT = "lasso_cut"
    FLOOD_FILL = "flood_fill"  # fill the connected region of the clicked mask value with smoke
    WAND = "wand"  # grow a region over the probability map from the click

    @property
    def is_brush(self) -> bool:
        return self in (Tool.BRUSH, Tool.ERASER, Tool.IGNORE, Tool.THRESHOLD_BRUSH)

    @property
    def is_polygon(self) -> bool:
        return self in (Tool.POLYGON_FILL, Tool.POLYGON_CUT)

    @property
    def is_lasso(self) -> bool:
        return self in (Tool.LASSO_FILL, Tool.LASSO_CUT)

    @property
    def needs_probability(self) -> bool:
        return self in (Tool.THRESHOLD_BRUSH, Tool.WAND)

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    Tool.NAVIGATE: "Navigate / Pan", Tool.BRUSH: "Brush", Tool.ERASER: "Eraser",
    Tool.IGNORE: "Ignore-Band Brush", Tool.THRESHOLD_BRUSH: "Threshold Brush",
    Tool.POLYGON_FILL: "Polygon Fill", Tool.POLYGON_CUT: "Polygon Cut", Tool.LASSO_FILL: "Lasso Fill",
    Tool.LASSO_CUT: "Lasso Cut", Tool.FLOOD_FILL: "Flood Fill", Tool.WAND: "Wand (Probability)",
}


class ToolState:
    """Active tool and settings. Setters clamp their input and emit ``changed(field)`` only on change.

    radius: brush radius in image pixels (MIN_RADIUS..MAX_RADIUS); the footprint is 2r+1 wide.
    tolerance: wand tolerance on the probability (0..1).
    threshold: probability threshold of the threshold brush, accept prediction and threshold-to-mask.
    opacity: mask overlay opacity (0..1); outline: draw only the mask's outline.
    """

    def __init__(self) -> None:
        self.changed = Signal()
        self._tool = Tool.NAVIGATE
        self._radius = 12
        self._tolerance = 0.15
        self._threshold = 0.5
        self._opacity = 0.5
        self._outline = False

    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool | str) -> None:
        self._set("_tool", Tool(tool), "tool")

    @property
    def radius(self) -> int:
        return self._radius

    def set_radius(self, radius: float) -> None:
        self._set("_radius", int(min(max(round(radius), MIN_RADIUS), MAX_RADIUS)), "radius")

    def grow_radius(self, steps: int) -> None:
        """`[` / `]`: change the radius by about 15 % per step (at least one pixel)."""
        r = self._radius
        delta = max(1, round(r * 0.15))
        self.set_radius(r + steps * delta)

    @property
    def tolerance(self) -> float:
        return self._tolerance

    def set_tolerance(self, tolerance: float) -> None:
        self._set("_tolerance", float(min(max(tolerance, 0.0), 1.0)), "tolerance")

    @property
    def threshold(self) -> float:
        return self._threshold

    def set_threshold(self, threshold: float) -> None:
        self._set("_threshold", float(min(max(threshold, 0.0), 1.0)), "threshold")

    @property
    def opacity(self) -> float:
        return self._opacity

    def set_opacity(self, opacity: float) -> None:
        self._set("_opacity", float(min(max(opacity, 0.0), 1.0)), "opacity")

    @property
    def outline(self) -> bool:
        return self._outline

    def set_outline(self, outline: bool) -> None:
        self._set("_outline", bool(outline), "outline")

    def _set(self, attr: str, value: object, name: str) -> None:
        if getattr(self, attr) != value:
            setattr(self, attr, value)
            self.changed.emit(name)
