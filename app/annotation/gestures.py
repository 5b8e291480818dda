"""Canvas gestures -> tool calls: brush strokes, lasso and polygon outlines, fill and wand clicks.

`ToolGestures` listens to `CanvasInput` (points already in image coordinates) and turns a press,
drag, release or double-click into calls of `fosp_core.annotation.tools` on the document that
`editable` returns (None: the reason was told, nothing happens). It owns the gesture in progress
(a `BrushStroke` or the clicked / dragged outline) and its on-canvas feedback: the brush outline
under the cursor and the dashed path preview. One stroke, lasso or polygon is one undo step.

The controller finishes a gesture before anything else edits the document (`finish`: a stroke cut
short by a key is kept), drops it on Esc (`cancel`), and lets Undo take back a clicked polygon
vertex before it undoes a step (`take_back_vertex`, as labelme and CVAT do). With a brush tool,
Ctrl+wheel over the image sizes the brush as [ and ] do (`ToolState.grow_radius`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.annotation.brush_cursor import BrushCursor, PathPreview
from app.annotation.canvas_input import CanvasInput
from app.annotation.review_off import review_off_words
from app.canvas import Canvas
from fosp_core.annotation import tools
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.tool_state import Tool, ToolState
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE

__all__ = ["ToolGestures", "dedupe"]

_BRUSH_VALUES = {Tool.BRUSH: SMOKE, Tool.ERASER: BACKGROUND, Tool.IGNORE: IGNORE, Tool.THRESHOLD_BRUSH: SMOKE}
_CURSOR_COLORS = {Tool.BRUSH: "#ff8a70", Tool.ERASER: "#ffffff", Tool.IGNORE: "#ffd600",
                  Tool.THRESHOLD_BRUSH: "#ff4df0"}

#: editable(needs_probability) -> the document to edit now, or None after telling the user why.
Editable = Callable[[bool], AnnotationDocument | None]


class ToolGestures(QObject):
    """See module doc. Signals:

    gesture_changed(): polygon vertices were clicked, taken back or dropped (Undo's availability).
    message(text, ms): a status-bar message.
    """

    gesture_changed = Signal()
    message = Signal(str, int)

    def __init__(self, canvas: Canvas, state: ToolState, editable: Editable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._editable = editable
        self.cursor = BrushCursor(canvas)
        self.preview = PathPreview(canvas)
        self.input = CanvasInput(canvas)
        self._stroke: tools.BrushStroke | None = None
        #: The vertices of the polygon being clicked, or the outline of the lasso being dragged.
        self.points: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None
        self._lasso = False  # the outline in `points` is a lasso's (else a polygon's)
        state.changed.connect(self._on_state_changed)
        self.input.pressed.connect(self._on_pressed)
        self.input.moved.connect(self._on_moved)
        self.input.released.connect(self._on_released)
        self.input.double_clicked.connect(self._on_double_clicked)
        self.input.hovered.connect(self._on_hovered)
        self.input.left.connect(self._on_left)
        self.input.size_stepped.connect(state.grow_radius)

    # --- the gesture in progress -----------------------------------------------------------------
    @property
    def active(self) -> bool:
        """A stroke is being painted or an outline is being clicked or dragged."""
        return self._stroke is not None or bool(self.points)

    @property
    def pending_vertices(self) -> int:
        """Vertices of the polygon being clicked (Undo takes back the last one first)."""
        return len(self.points) if self.state.tool.is_polygon else 0

    def take_back_vertex(self) -> bool:
        """Drop the last clicked polygon vertex; False when there is none."""
        if not self.pending_vertices:
            return False
        self.points.pop()
        if self.points:
            self.preview.show_points(self.points, self._hover)
        else:
            self.preview.clear()
        self.gesture_changed.emit()
        return True

    def finish(self) -> None:
        """End the gesture in progress: a stroke is kept (one undo step), an outline is dropped and
        the status bar says so (`dropped_text`): the vertices of a polygon left open vanished silently
        when a key took the user to another image or tool."""
        dropped = self._end(commit=True)
        if dropped:
            text = dropped_text(dropped, self._lasso)
            self.message.emit(text[:1].upper() + text[1:], 6000)  # said alone: a sentence

    def cancel(self) -> None:
        """Drop the gesture in progress: a stroke's pixels are restored, an outline is dropped."""
        self._end(commit=False)

    def _end(self, commit: bool) -> int:
        """End the gesture; returns how many outline points were dropped."""
        stroke, self._stroke = self._stroke, None
        if stroke is not None:
            stroke.finish() if commit else stroke.cancel()
        dropped, self.points = len(self.points), []
        self.preview.clear()
        if dropped:
            self.gesture_changed.emit()
        return dropped

    def close_polygon(self) -> bool:
        """Fill (or cut) the polygon clicked so far (double-click or Enter); True when applied.
        Fewer than 3 vertices are kept (and the user told so)."""
        if not self.state.tool.is_polygon or not self.points:
            return False
        points = dedupe(self.points)
        if len(points) < 3:  # kept: the next click may complete it (Esc drops it)
            self.points = points
            self.preview.show_points(points, self._hover)
            self.gesture_changed.emit()
            self.message.emit("A polygon needs at least 3 vertices (Esc drops these)", 4000)
            return False
        self.points = []
        self.preview.clear()
        self.gesture_changed.emit()
        doc = self._editable(False)
        if doc is None:
            return False
        return (tools.polygon_fill if self.state.tool == Tool.POLYGON_FILL else tools.polygon_cut)(doc, points)

    # --- tool settings -----------------------------------------------------------------------------
    def _on_state_changed(self, name: str) -> None:
        tool = self.state.tool
        if name == "tool":
            dropped = self._end(commit=True)
            self.input.set_drawing(tool != Tool.NAVIGATE)
            self.input.sizing = tool.is_brush
            self.cursor.set_color(_CURSOR_COLORS.get(tool, "#ffffff"))
            self.cursor.setVisible(tool.is_brush and self._hover is not None)
            if dropped:
                self.message.emit(f"{tool.title} — {dropped_text(dropped, self._lasso)}", 6000)
            else:
                self.message.emit(tool.title, 2000)
        elif name == "radius":
            self.cursor.set_radius(self.state.radius)

    # --- mouse ---------------------------------------------------------------------------------------
    def _on_hovered(self, x: float, y: float) -> None:
        self._hover = (x, y)
        if self.state.tool.is_brush:
            self.cursor.set_radius(self.state.radius)
            self.cursor.move_to(*tools.pixel_xy((x, y)))
            self.cursor.show()
        if self.state.tool.is_polygon and self.points:
            self.preview.show_points(self.points, (x, y))

    def _on_left(self) -> None:
        """The pointer left the canvas: no brush outline until it is back (a tool chosen meanwhile,
        from the dock say, shows none where it was)."""
        self._hover = None
        self.cursor.hide()

    def _on_pressed(self, x: float, y: float) -> None:
        tool = self.state.tool
        if self._stroke is not None:  # its release never came (grab lost): finish it, never nest
            self.finish()
        doc = self._editable(tool.needs_probability)
        if doc is None:
            return
        if tool.is_brush:
            threshold = self.state.threshold if tool == Tool.THRESHOLD_BRUSH else None
            self._stroke = tools.BrushStroke(doc, self.state.radius, _BRUSH_VALUES[tool],
                                             only_where_prob_above=threshold)
            self._stroke.add_point(x, y)
        elif tool.is_lasso:
            self.points, self._lasso = [(x, y)], True
        elif tool.is_polygon:
            self.points.append((x, y))
            self._lasso = False
            self.preview.show_points(self.points, None)
            self.gesture_changed.emit()
        elif tool == Tool.FLOOD_FILL and _inside(doc, x, y):
            tools.flood_fill(doc, x, y, SMOKE)
        elif tool == Tool.WAND and _inside(doc, x, y):
            was = doc.status
            region = tools.wand(doc, x, y, self.state.tolerance, SMOKE)
            off = review_off_words(doc, was)  # the controller's "no longer reviewed" came first: said here
            self.message.emit(f"Wand: {region.area} px{off}", 6000 if off else 3000)

    def _on_double_clicked(self, x: float, y: float) -> None:
        """A double-click closes a polygon; for every other tool it is the second of two quick
        clicks (Qt sends no press for it), so it paints, fills or starts a stroke like any press."""
        if self.state.tool.is_polygon:
            self.close_polygon()
        else:
            self._on_pressed(x, y)

    def _on_moved(self, x: float, y: float) -> None:
        if self._stroke is not None:
            self._stroke.add_point(x, y)
        elif self.state.tool.is_lasso and self.points:
            last = self.points[-1]
            if math.hypot(x - last[0], y - last[1]) >= 1.0:
                self.points.append((x, y))
                self.preview.show_points(self.points, None, closed=False)

    def _on_released(self, x: float, y: float) -> None:
        if self._stroke is not None:
            self._stroke.add_point(x, y)
            stroke, self._stroke = self._stroke, None
            stroke.finish()
        elif self.state.tool.is_lasso and self.points:
            points, self.points = self.points, []
            self.preview.clear()
            doc = self._editable(False)
            if doc is not None and len(points) >= 3:
                (tools.lasso_fill if self.state.tool == Tool.LASSO_FILL else tools.lasso_cut)(doc, points)


def dropped_text(count: int, lasso: bool) -> str:
    """What the status bar says of an outline dropped before it was closed."""
    if lasso:
        return "lasso dropped before its release: nothing filled"
    return (f"open polygon of {count} vert{'ex' if count == 1 else 'ices'} dropped "
            "(Enter or a double-click closes a polygon)")


def _inside(doc: AnnotationDocument, x: float, y: float) -> bool:
    xi, yi = tools.pixel_xy((x, y))
    return 0 <= xi < doc.width and 0 <= yi < doc.height


def dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points without consecutive repeats (a double-click adds its position twice)."""
    out: list[tuple[float, float]] = []
    for p in points:
        if not out or tools.pixel_xy(p) != tools.pixel_xy(out[-1]):
            out.append(p)
    return out
