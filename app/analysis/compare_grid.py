"""The compare grid, laid out like the paper's Fig. 7: image | Focus Map & ground truth | separated
background | separated foreground | prediction. All panels share zoom and pan (linked ViewBoxes)
and the grid exports as one PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from app.analysis.render import lookup_table, outline_path, outline_pen
from fosp_core.analysis.layers import (
    GROUND_TRUTH_COLOUR,
    GROUND_TRUTH_OUTLINE,
    PREDICTION_COLOUR,
    PREDICTION_OUTLINE,
    SOLID_COLORS,
    outline_colour,
)
from fosp_core.infer.gridmap import full_size
from fosp_core.infer.result import Prediction
from fosp_core.metrics.report import setting_text

#: What Analysis ▸ Compare (Fig. 7) does, in plain words first, the paper reference second.
COMPARE_TIP = ("Show the image's result in five panels side by side: the image, where the model looked for smoke "
               "(Focus Map) with the labelled smoke (ground truth), the scene it pictured without the smoke "
               "(separated background), what it took for smoke in front of it (separated foreground), and the "
               "smoke it found (prediction); they zoom and pan together, and Export Compare Grid… saves them as "
               "one PNG.\nLaid out as the paper's Fig. 7.")
COLUMNS: tuple[str, ...] = ("image", "Focus Map & ground truth", "separated background",
                            "separated foreground", "prediction")
#: The ground truth's outline, as the canvas draws it (fosp_core.analysis.layers.GROUND_TRUTH_*).
_GT_RGB = SOLID_COLORS[GROUND_TRUTH_COLOUR]
_GT_WORDS = f"dashed, {GROUND_TRUTH_COLOUR} green"  # what the titles call it
#: The prediction mask's solid outline, as the canvas draws it, around the prediction panel's mask.
_PREDICTION_LINE = outline_colour(SOLID_COLORS[PREDICTION_COLOUR], PREDICTION_OUTLINE)
_TITLE_HEIGHT = 56  # pixels above the panels of an exported grid: two lines of 10 pt titles
#: The height the grid asks for as its dock opens under the canvas: panels of about 180 px under two
#: lines of titles (pyqtgraph's 480 px took two thirds of a 768 px window).
_HEIGHT_HINT = 240


def column_titles(threshold: float | None, keep: str = "plain", labelled: bool = False) -> tuple[str, ...]:
    """The titles over the panels (rich text, two lines at most, so a narrow dock keeps its panels
    wide), saying what a figure cut from its window still needs: the colours' range, the ground
    truth's colour (`labelled`: it is drawn) and the mask's `threshold` and region rule `keep` (None:
    no prediction shown)."""
    focus = "Focus Map (0-1)" + (f"<br>& ground truth ({_GT_WORDS})" if labelled else "")
    prediction = "prediction"
    if threshold is not None:
        prediction += f"<br>(threshold {setting_text(threshold)}" + ("" if keep == "plain" else f", {keep}") + ")"
    return ("image", focus, "separated background", "separated foreground<br>(relative)", prediction)


def foreground_image(prediction: Prediction) -> np.ndarray | None:
    """float32 (H, W) in 0..1: the foreground-feature energy of every stride, each scaled by its
    maximum, averaged - one picture of what the separation module calls foreground."""
    tops = [(e, float(e.max())) for e in prediction.foreground_energy.values() if e.size and e.max() > 0]
    if not tops:
        return None
    total = np.zeros(prediction.shape, np.float32)  # one full-size map at a time (energies are held
    for energy, top in tops:  # at the network's grid: fosp_core.infer.gridmap)
        total += full_size(energy) / np.float32(top)
    return total / np.float32(len(tops))


class CompareGrid(pg.GraphicsLayoutWidget):
    """Five linked panels; :meth:`set_content` fills them, :meth:`export_png` saves them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("#202020")
        self.view_boxes: list[pg.ViewBox] = []
        self.items: dict[str, pg.ImageItem] = {}
        self.labels: list[pg.LabelItem] = []
        for col, (title, text) in enumerate(zip(COLUMNS, column_titles(None), strict=True)):
            self.labels.append(self.addLabel(text, row=0, col=col, color="#d6d6d6", size="10pt"))
            box = self.addViewBox(row=1, col=col, lockAspect=True, invertY=True, enableMenu=False)
            box.setDefaultPadding(0.0)
            if self.view_boxes:
                box.setXLink(self.view_boxes[0])
                box.setYLink(self.view_boxes[0])
            self.view_boxes.append(box)
            item = pg.ImageItem(axisOrder="row-major")
            box.addItem(item)
            self.items[title] = item
        for col in range(len(COLUMNS)):
            self.ci.layout.setColumnStretchFactor(col, 1)
            self.ci.layout.setColumnPreferredWidth(col, 100)
        self.gt_outline = pg.PlotCurveItem(pen=outline_pen(_GT_RGB, GROUND_TRUTH_OUTLINE), antialias=False)
        self.gt_outline.setZValue(5)
        self.view_boxes[1].addItem(self.gt_outline)
        self.prediction_outline = pg.PlotCurveItem(pen=outline_pen(_PREDICTION_LINE, PREDICTION_OUTLINE),
                                                   antialias=False)
        self.prediction_outline.setZValue(5)
        self.view_boxes[4].addItem(self.prediction_outline)
        self._shape: tuple[int, int] | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """pyqtgraph's width, the height of :data:`_HEIGHT_HINT`."""
        return QSize(super().sizeHint().width(), _HEIGHT_HINT)

    def titles(self) -> list[str]:
        """The titles shown over the panels (:func:`column_titles`)."""
        return [label.text for label in self.labels]

    def _set_titles(self, titles: tuple[str, ...]) -> None:
        for label, text in zip(self.labels, titles, strict=True):
            if label.text != text:
                label.setText(text)

    def set_content(self, rgb: np.ndarray | None, prediction: Prediction | None, label: np.ndarray | None,
                    threshold: float, keep: str = "plain") -> None:
        """Show image `rgb` (uint8 (H, W, 3)), what `prediction` says at mask `threshold` (the regions
        of rule `keep`) and the ground truth `label` (uint8 (H, W) 0/1/255) when there is one; None
        clears panels."""
        items = self.items
        for item in items.values():
            item.clear()
        self.gt_outline.setData([], [])
        self.prediction_outline.setData([], [])
        if rgb is None:
            self._set_titles(column_titles(None))
            self._shape = None
            return
        items["image"].setImage(rgb, autoLevels=False, levels=(0, 255))
        if prediction is not None and prediction.shape == rgb.shape[:2]:
            if prediction.focus_map is not None:
                items[COLUMNS[1]].setLookupTable(lookup_table("scalar", "inferno", translucent=False), update=False)
                items[COLUMNS[1]].setImage(full_size(prediction.focus_map), autoLevels=False, levels=(0, 1))
            if prediction.background is not None:
                items[COLUMNS[2]].setImage(full_size(prediction.background), autoLevels=False, levels=(0, 255))
            fg = foreground_image(prediction)
            if fg is not None:
                items[COLUMNS[3]].setLookupTable(lookup_table("scalar", "magma", translucent=False), update=False)
                items[COLUMNS[3]].setImage(fg, autoLevels=False, levels=(0, 1))
            mask = prediction.mask(threshold, keep)
            items[COLUMNS[4]].setImage(mask * np.uint8(255), autoLevels=False, levels=(0, 255))
            x, y, connect = outline_path(mask)
            self.prediction_outline.setData(x, y, connect=connect)
        labelled = label is not None and label.shape == rgb.shape[:2]
        if labelled:
            x, y, connect = outline_path(label == 1)
            self.gt_outline.setData(x, y, connect=connect)
        shown = prediction is not None and prediction.shape == rgb.shape[:2]
        self._set_titles(column_titles(threshold if shown else None, keep, labelled))
        shape = (int(rgb.shape[0]), int(rgb.shape[1]))
        if shape != self._shape:
            self._shape = shape
            self.view_boxes[0].autoRange(padding=0.0)

    def export_png(self, path: str | Path, width: int = 1800) -> bool:
        """Save the grid as one PNG, `width` pixels wide (height follows the image's aspect), rendered
        offscreen whether or not the grid is shown; returns whether the file was written."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        h, w = self._shape or (3, 4)
        height = int(width / len(COLUMNS) * h / w) + _TITLE_HEIGHT
        layout = self.ci
        old = layout.geometry()
        rect = QRectF(0, 0, width, height)
        grid = layout.layout
        left, _, right, _ = grid.getContentsMargins()
        column = width - left - right - grid.horizontalSpacing() * (len(COLUMNS) - 1)
        for col in range(len(COLUMNS)):  # equal panels whatever the titles' and images' size hints
            grid.setColumnFixedWidth(col, column / len(COLUMNS))
        layout.setGeometry(rect)
        grid.activate()
        self.view_boxes[0].autoRange(padding=0.0)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#202020"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter, QRectF(rect), layout.mapRectToScene(rect))
        painter.end()
        for col in range(len(COLUMNS)):
            grid.setColumnMinimumWidth(col, 0)
            grid.setColumnMaximumWidth(col, 1e6)
            grid.setColumnPreferredWidth(col, 100)
        layout.setGeometry(old)
        grid.activate()
        self.view_boxes[0].autoRange(padding=0.0)
        return image.save(str(path), "PNG")
