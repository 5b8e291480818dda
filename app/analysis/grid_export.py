"""The compare grid's dock content and its export (Analysis ▸ Export Compare Grid…), for the
analysis controller: the grid shows the current image, its result and label; the export writes it
as one PNG, and says there is nothing to export before the model ran on the image."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from app.analysis.controller import AnalysisController

__all__ = ["NOTHING_TO_EXPORT", "GridExport"]

NOTHING_TO_EXPORT = "Nothing to export: the compare grid needs a result — run the model on this image first (Ctrl+R)"


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
        path, _ = QFileDialog.getSaveFileName(ctl.window, "Export Compare Grid", "compare-grid.png",
                                              "PNG images (*.png)")
        if path and not self.write(path):
            ctl.report_error(f"could not write {path}")
