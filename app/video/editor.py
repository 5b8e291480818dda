"""Painting a video frame's mask on the canvas, and the mask / probability overlays of the video view.

The frame's mask lives in an :class:`~fosp_core.annotation.document.AnnotationDocument` (from
:class:`~fosp_core.video.timeline.VideoAnnotations`), so undo, autosave and the image tools work as
for still images. While painting is on, a left drag paints smoke and a right drag erases with the
annotation brush (`fosp_core.annotation.tools.BrushStroke`, one undo step per stroke); the canvas
stops panning meanwhile. Mouse positions are converted to image coordinates here, once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal

from app.canvas import OVERLAY_Z, Canvas
from fosp_core.annotation import tools
from fosp_core.annotation.document import AnnotationDocument, DocumentEvent
from fosp_core.data.types import BACKGROUND, SMOKE

MASK_LAYER = "video_mask"
PROBABILITY_LAYER = "video_probability"


def mask_lut() -> np.ndarray:
    """RGBA lookup table for 0/1/255 masks: clear, red smoke, yellow ignore."""
    lut = np.zeros((256, 4), np.uint8)
    lut[SMOKE] = (255, 60, 40, 140)
    lut[255] = (255, 214, 0, 120)
    return lut


def probability_lut() -> np.ndarray:
    """RGBA lookup table for probabilities (levels 0..1): transparent below 0.2, then orange rising."""
    ramp = np.linspace(0.0, 1.0, 256)
    lut = np.zeros((256, 4), np.uint8)
    lut[:, 0] = 255
    lut[:, 1] = (170 * (1 - ramp) + 40).astype(np.uint8)
    lut[:, 2] = 0
    lut[:, 3] = (np.clip((ramp - 0.2) / 0.8, 0, 1) * 150).astype(np.uint8)
    return lut


class FrameEditor(QObject):
    """Overlays and brush input of the video view (see module doc). Signal: stroke_finished(changed)."""

    stroke_finished = Signal(bool)

    def __init__(self, canvas: Canvas, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.document: AnnotationDocument | None = None
        self.radius = 8
        self.painting = False
        self._stroke: tools.BrushStroke | None = None
        self.mask_item = canvas.add_overlay(MASK_LAYER, OVERLAY_Z + 4)
        self.mask_item.setLookupTable(mask_lut())
        self.mask_item.setLevels((0, 255))
        self.prob_item = canvas.add_overlay(PROBABILITY_LAYER, OVERLAY_Z + 2)
        self.prob_item.setLookupTable(probability_lut())
        self.prob_item.setLevels((0.0, 1.0))
        canvas.viewport().installEventFilter(self)

    # --- overlays ------------------------------------------------------------------------------
    def set_document(self, doc: AnnotationDocument | None) -> None:
        """Edit and show `doc` (None: nothing)."""
        self.cancel()
        if self.document is not None:
            self.document.events.disconnect(self._on_document_event)
        self.document = doc
        if doc is not None:
            doc.events.connect(self._on_document_event)
        self._show_mask()

    def set_probability(self, probability: np.ndarray | None, visible: bool = True) -> None:
        """Show a float (H, W) probability map under the mask (None or not visible: hide)."""
        if probability is None or not visible:
            self.prob_item.clear()
            self.prob_item.setVisible(False)
            return
        self.prob_item.setImage(probability, autoLevels=False, levels=(0.0, 1.0))
        self.prob_item.setVisible(True)

    def _show_mask(self) -> None:
        doc = self.document
        if doc is None or not doc.mask.any():
            self.mask_item.clear()
            self.mask_item.setVisible(False)
            return
        self.mask_item.setImage(doc.mask, autoLevels=False, levels=(0, 255))
        self.mask_item.setVisible(True)

    def _on_document_event(self, event: DocumentEvent) -> None:
        if event.kind == "mask":
            self._show_mask()

    def clear(self) -> None:
        """Leave the video: hide both overlays and stop editing."""
        self.set_document(None)
        self.set_probability(None)
        self.set_painting(False)

    # --- painting ------------------------------------------------------------------------------
    def set_painting(self, on: bool) -> None:
        """Paint with the mouse (True) or pan/zoom (False)."""
        self.cancel()
        self.painting = on
        self.canvas.view_box.setMouseEnabled(x=not on, y=not on)
        self.canvas.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def begin(self, x: float, y: float, value: int = SMOKE) -> None:
        """Start a brush (value 1) or eraser (value 0) stroke at image point (x, y)."""
        if self.document is None:
            return
        self.cancel()
        self._stroke = tools.BrushStroke(self.document, self.radius, value)
        self._stroke.add_point(x, y)

    def extend(self, x: float, y: float) -> None:
        if self._stroke is not None:
            self._stroke.add_point(x, y)

    def end(self) -> bool:
        """Finish the stroke (one undo step, autosaved); returns whether it changed the mask."""
        stroke, self._stroke = self._stroke, None
        changed = bool(stroke is not None and stroke.finish())
        if stroke is not None:
            self.stroke_finished.emit(changed)
        return changed

    def cancel(self) -> None:
        if self._stroke is not None:
            self._stroke.cancel()
            self._stroke = None

    def paint(self, points: list[tuple[float, float]], value: int = SMOKE) -> bool:
        """A whole stroke through image points (x, y) (used by tests and scripts)."""
        if not points:
            return False
        self.begin(*points[0], value=value)
        for point in points[1:]:
            self.extend(*point)
        return self.end()

    def _image_point(self, pos: QPointF) -> tuple[float, float]:
        point = self.canvas.view_box.mapSceneToView(self.canvas.mapToScene(pos.toPoint()))
        return point.x(), point.y()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painting or self.document is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            button = event.button()  # type: ignore[attr-defined]
            if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
                value = SMOKE if button == Qt.MouseButton.LeftButton else BACKGROUND
                self.begin(*self._image_point(event.position()), value=value)  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.MouseMove and self._stroke is not None:
            self.extend(*self._image_point(event.position()))  # type: ignore[attr-defined]
            return True
        elif kind == QEvent.Type.MouseButtonRelease and self._stroke is not None:
            self.end()
            return True
        return False
