"""The analysis view's figures, for its controller: the compare grid's dock content and its export
(Analysis ▸ Export Compare Grid…: the grid shows the current image, its result and label, the export
writes it as one PNG), and the view's (Analysis ▸ Export View…: the image with the analysis layers
shown, as drawn, at the image's size: :func:`app.analysis.render.composite`). Both say there is
nothing to export before the model ran on the image."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import cv2
from PySide6.QtWidgets import QFileDialog

from app.analysis.render import composite
from fosp_core.io.atomic import write_atomic

if TYPE_CHECKING:
    from app.analysis.controller import AnalysisController

__all__ = ["NOTHING_TO_EXPORT", "NOTHING_TO_EXPORT_VIEW", "GridExport", "ViewExport"]

NOTHING_TO_EXPORT = "Nothing to export: the compare grid needs a result — run the model on this image first (Ctrl+R)"
NOTHING_TO_EXPORT_VIEW = "Nothing to export: the view has no analysis layers — run the model on this image first (Ctrl+R)"


class GridExport:
    """Keeps the compare grid in step with what the controller shows and writes it out."""

    def __init__(self, controller: AnalysisController) -> None:
        self._ctl = controller

    def update(self) -> None:
        """Refresh the grid's panels (only while its dock is visible)."""
        ctl = self._ctl
        if not ctl.grid_dock.isVisible():
            return
        image = ctl.session.current_image
        ctl.grid.set_content(None if image is None else image.rgb, ctl.prediction, ctl.label,
                             ctl.settings.threshold, ctl.settings.keep)

    def possible(self) -> bool:
        """Whether the grid has something to show: the current image and its result."""
        return self._ctl.session.current_image is not None and self._ctl.prediction is not None

    def write(self, path: str | Path) -> bool:
        """Write the compare grid of the current image as one PNG; returns whether it was written
        (nothing is written without a result: the panels would be empty)."""
        ctl = self._ctl
        image = ctl.session.current_image
        if image is None or ctl.prediction is None:
            return False
        ctl.grid.set_content(image.rgb, ctl.prediction, ctl.label, ctl.settings.threshold, ctl.settings.keep)
        return ctl.grid.export_png(path)

    def dialog(self) -> None:
        """Ask where, write it; without a result say there is nothing to export (the action is
        disabled then, but a shortcut or a script may still trigger it)."""
        ctl = self._ctl
        if not self.possible():
            ctl.window.statusBar().showMessage(NOTHING_TO_EXPORT, 8000)
            return
        image = ctl.session.current_image
        stem = Path(image.path).stem if image is not None else "image"  # one file per image, named after it
        path, _ = QFileDialog.getSaveFileName(ctl.window, "Export Compare Grid", f"{stem}-compare-grid.png",
                                              "PNG images (*.png)")
        if path and not self.write(path):
            ctl.report_error(f"could not write {path}")


class ViewExport:
    """Writes the image with the analysis layers shown (see module doc)."""

    def __init__(self, controller: AnalysisController) -> None:
        self._ctl = controller

    def write(self, path: str | Path) -> bool:
        """Write the current image with its visible analysis layers to PNG `path` (atomically);
        returns whether it was written (nothing without a result shown)."""
        ctl = self._ctl
        image = ctl.session.current_image
        if image is None or ctl.prediction is None:
            return False
        pixels = composite(image.rgb, ctl.layers, ctl.arrays)
        ok, encoded = cv2.imencode(".png", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR))
        if not ok:
            return False
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, encoded.tobytes())
        return True

    def dialog(self) -> None:
        """Ask where (offering the current image's name + "-view.png"), write it, say so."""
        ctl = self._ctl
        image = ctl.session.current_image
        if image is None or ctl.prediction is None:
            ctl.window.statusBar().showMessage(NOTHING_TO_EXPORT_VIEW, 8000)
            return
        shown = ", ".join(layer.name for layer in ctl.layers if layer.visible and layer.name in ctl.arrays)
        path, _ = QFileDialog.getSaveFileName(ctl.window, f"Export View (image + {shown or 'no layer'})",
                                              f"{Path(image.path).stem}-view.png", "PNG images (*.png)")
        if not path:
            return
        try:
            written = self.write(path)
        except OSError as e:
            ctl.report_error(f"could not write {path}: {e.strerror or e}")
            return
        if not written:
            ctl.report_error(f"could not write {path}")
        else:
            ctl.window.statusBar().showMessage(f"Exported the view to {path}", 5000)
