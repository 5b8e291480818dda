"""The probability overlay of the video view: the model's (optionally smoothed) smoke probability
of the shown frame, under the mask.

Editing a frame's mask is not done here: the video view lends the frame's
:class:`~fosp_core.annotation.document.AnnotationDocument` to the annotation tools
(``AnnotationController.attach_document``), which draw the mask layer and take the mouse.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QObject

from app.canvas import OVERLAY_Z, Canvas

__all__ = ["PROBABILITY_LAYER", "ProbabilityOverlay", "probability_lut", "undecodable_frame"]

PROBABILITY_LAYER = "video_probability"


def probability_lut() -> np.ndarray:
    """RGBA lookup table for probabilities (levels 0..1): transparent below 0.2, then orange rising."""
    ramp = np.linspace(0.0, 1.0, 256)
    lut = np.zeros((256, 4), np.uint8)
    lut[:, 0] = 255
    lut[:, 1] = (170 * (1 - ramp) + 40).astype(np.uint8)
    lut[:, 2] = 0
    lut[:, 3] = (np.clip((ramp - 0.2) / 0.8, 0, 1) * 150).astype(np.uint8)
    return lut


class ProbabilityOverlay(QObject):
    """One canvas overlay showing a float (H, W) probability map (see module doc)."""

    def __init__(self, canvas: Canvas, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.prob_item = canvas.add_overlay(PROBABILITY_LAYER, OVERLAY_Z + 2)
        self.prob_item.setLookupTable(probability_lut())
        self.prob_item.setLevels((0.0, 1.0))

    def set_probability(self, probability: np.ndarray | None, visible: bool = True) -> None:
        """Show a float (H, W) probability map in [0, 1] (None or not visible: hide)."""
        if probability is None or not visible:
            self.prob_item.clear()
            self.prob_item.setVisible(False)
            return
        self.prob_item.setImage(probability, autoLevels=False, levels=(0.0, 1.0))
        self.prob_item.setVisible(True)

    def clear(self) -> None:
        """Leave the video: hide the overlay."""
        self.set_probability(None)


def undecodable_frame(height: int, width: int, index: int) -> np.ndarray:
    """RGB uint8 (height, width, 3) shown in place of frame `index`, which could not be decoded: dark
    grey, "frame N / could not be decoded" across the middle (the video's size: zoom and position stay)."""
    rgb = np.full((height, width, 3), 48, np.uint8)
    lines = (f"frame {index}", "could not be decoded")
    font = cv2.FONT_HERSHEY_SIMPLEX
    widest = max(cv2.getTextSize(line, font, 1.0, 2)[0][0] for line in lines)
    scale = max(0.3, min(3.0, 0.7 * width / max(1, widest)))
    thickness = max(1, int(round(2 * scale)))
    line_height = int(40 * scale)
    top = height // 2 - line_height // 2
    for row, line in enumerate(lines):
        (text_width, _), _ = cv2.getTextSize(line, font, scale, thickness)
        origin = ((width - text_width) // 2, top + row * line_height)
        cv2.putText(rgb, line, origin, font, scale, (255, 138, 128), thickness, cv2.LINE_AA)
    return rgb
