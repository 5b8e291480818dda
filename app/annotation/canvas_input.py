"""Mouse input for the annotation tools: Qt events on the canvas converted once to image points.

`CanvasInput` filters the canvas viewport's events. While `drawing` is on, a left press, drag,
release or double-click is taken from the ViewBox (so it does not pan) and re-emitted as
``pressed/moved/released/double_clicked(x, y)`` in tool coordinates (a double-click replaces the
second press of two quick clicks: ``moved`` and ``released`` follow it as they follow a press): (x, y) = (column, row) with
integer values at pixel centres, as `fosp_core.annotation.tools` expects. Holding Space (or
dragging with the middle button) leaves the events to the ViewBox, which pans; Space counts
wherever the keyboard focus is in the canvas' window (a worklist row just clicked, say), so it is
watched on the canvas, its window and the window's focus widget (:class:`~app.focus_filter.FocusFilter`:
not application-wide, where the filter ran for every event of every object) and taken only from
the canvas. While a drawing tool is active and the
canvas has the focus, Space is the canvas' own (hold-to-pan): a window shortcut on it (video Play /
Pause) runs only with the Navigate tool. ``hovered(x, y)``
follows the cursor in the same coordinates whether or not a tool is active, and again when the view
moves under a still cursor (a zoom or pan from the keys, Fit), as the canvas' own ``hovered`` does: the
brush outline stays on the pixel now under it. The moves of a drag it takes from the ViewBox are told
to the canvas (:meth:`~app.canvas.Canvas.pointer_at`): its pixel readout follows a stroke. While
`sizing` is on (a brush tool), Ctrl+wheel is taken from the ViewBox (which zooms on any wheel) and re-emitted as
``size_stepped(steps)``, +1 per notch up; a touchpad's small steps add up to notches.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from app.canvas import Canvas
from app.cursor_centre import pixel_centre
from app.focus_filter import FocusFilter

__all__ = ["WHEEL_NOTCH", "CanvasInput"]

WHEEL_NOTCH = 120  # QWheelEvent.angleDelta of one notch of a mouse wheel (eighths of a degree)


class CanvasInput(QObject):
    """Converts canvas mouse events to image points for the active tool (see module doc)."""

    pressed = Signal(float, float)
    moved = Signal(float, float)
    released = Signal(float, float)
    double_clicked = Signal(float, float)
    hovered = Signal(float, float)
    left = Signal()
    size_stepped = Signal(int)

    def __init__(self, canvas: Canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.drawing = False
        self.space_held = False
        #: Ctrl+wheel sizes the brush (`size_stepped`) instead of zooming
        self.sizing = False
        self._wheel_rest = 0  # angle turned with Ctrl, not yet a whole notch
        self._dragging = False
        self._pointer: QPointF | None = None  # the cursor's last viewport position, None: not over it
        self._viewport = canvas.viewport()  # kept: the canvas may be half-destroyed when events arrive
        self._viewport.installEventFilter(self)
        canvas.installEventFilter(self)
        self.focus_filter = FocusFilter(canvas, self, keep=(canvas, self._viewport))
        self.focus_filter.start()  # Space, wherever the focus is in the canvas' window (see module doc)
        canvas.view_box.sigRangeChanged.connect(self._hover_again)

    @property
    def dragging(self) -> bool:
        return self._dragging

    def image_point(self, pos: QPoint | QPointF) -> tuple[float, float]:
        """Tool coordinates of a viewport position (pixel centres are integers), read as the canvas's
        readout reads it: a mouse position at its screen pixel's centre (:mod:`app.cursor_centre`)."""
        centre = pixel_centre(QPointF(pos), self._viewport.devicePixelRatioF())
        view = self.canvas.view_box.mapSceneToView(self._scene(centre))
        return view.x() - 0.5, view.y() - 0.5

    def _scene(self, pos: QPoint | QPointF) -> QPointF:
        """The scene position of a viewport position."""
        # QGraphicsView.mapToScene takes whole pixels only: a HiDPI screen's fractional positions are kept
        return self.canvas.viewportTransform().inverted()[0].map(QPointF(pos))

    def set_drawing(self, drawing: bool) -> None:
        """Whether a left drag draws (True) or pans (False)."""
        self.drawing = drawing
        self._update_cursor()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: C901 - one switch over types
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and watched is self.canvas and self.drawing:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                event.accept()  # hold-to-pan, not the window's Space shortcut (video Play / Pause)
                return True
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            if event.key() != Qt.Key.Key_Space or not isinstance(watched, QWidget):
                return False
            if watched is not self.canvas and watched.window() is not self._viewport.window():
                return False  # another window (a dialog): its Space is its own
            if not event.isAutoRepeat():
                self.space_held = kind == QEvent.Type.KeyPress
                self._update_cursor()
            return watched is self.canvas
        if watched is not self._viewport:
            return False
        if kind == QEvent.Type.Leave:
            self._pointer = None
            self.left.emit()
            return False
        if kind == QEvent.Type.Wheel:
            assert isinstance(event, QWheelEvent)
            return self._size_wheel(event)
        if not isinstance(event, QMouseEvent):
            return False
        pointer = self._pointer = QPointF(event.position())
        point = self.image_point(pointer)
        if kind == QEvent.Type.MouseMove:
            self.hovered.emit(*point)
            if self._dragging:
                self.canvas.pointer_at(self._scene(pointer))  # taken from the scene: its readout told
                self.moved.emit(*point)
                return True
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if kind == QEvent.Type.MouseButtonPress:
            self.canvas.setFocus(Qt.FocusReason.MouseFocusReason)
            if self.drawing and not self.space_held:
                self._dragging = True
                self.pressed.emit(*point)
                return True
        elif kind == QEvent.Type.MouseButtonDblClick:
            if self.drawing and not self.space_held:  # Qt's second press of a quick double click
                self._dragging = True  # its drag and release follow, as after a press
                self.double_clicked.emit(*point)
                return True
        elif kind == QEvent.Type.MouseButtonRelease and self._dragging:
            self._dragging = False
            self.canvas.pointer_at(self._scene(pointer))
            self.released.emit(*point)
            return True
        return False

    def _hover_again(self, *_args: object) -> None:
        """The view moved under a still cursor: `hovered` with the image point now under it."""
        if self._pointer is not None:
            self.hovered.emit(*self.image_point(self._pointer))

    def _size_wheel(self, event: QWheelEvent) -> bool:
        """Ctrl+wheel while sizing: emit whole notches (True: taken from the ViewBox's zoom)."""
        if not self.sizing or not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._wheel_rest = 0
            return False
        angle = event.angleDelta()
        self._wheel_rest += angle.y() or angle.x()  # some systems turn a modified wheel sideways
        steps = int(self._wheel_rest / WHEEL_NOTCH)  # toward zero: the rest waits for the next turn
        self._wheel_rest -= steps * WHEEL_NOTCH
        if steps:
            self.size_stepped.emit(steps)
        event.accept()
        return True

    def _update_cursor(self) -> None:
        viewport = self._viewport
        if self.space_held or not self.drawing:
            viewport.setCursor(Qt.CursorShape.OpenHandCursor if self.space_held else Qt.CursorShape.ArrowCursor)
        else:
            viewport.setCursor(Qt.CursorShape.CrossCursor)
