"""The analysis view's figures, for its controller: the compare grid's dock content and its export
(Analysis ▸ Export Compare Grid…: the grid shows the current image, its result and label, the export
writes it as one picture, PNG or JPEG as its name says), and the view's (Analysis ▸ Export View…: the
image with the analysis layers shown, as drawn, at the image's size:
:func:`app.analysis.render.composite`, in the format its name says too). Both say there is nothing to
export before the model ran on the image.

They read the result shown through :class:`Shown` (:class:`app.analysis.shown.ShownResult` is one) and
say what went wrong through the `report` they are given: the controller makes them and they know
nothing of it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import cv2
import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from app.analysis.render import composite
from app.picture_format import picture_format, unknown_suffix
from fosp_core.analysis.layers import LayerStack
from fosp_core.io.atomic import atomic_target, write_atomic
from fosp_core.io.exit_fence import native_code

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.analysis.compare_grid import CompareGrid
    from app.analysis.shown_work import ShownWork
    from app.host import AppWindow
    from fosp_core.analysis.settings import AnalysisSettings
    from fosp_core.infer.result import Prediction

__all__ = ["NOTHING_TO_EXPORT", "NOTHING_TO_EXPORT_VIEW", "GridExport", "Shown", "ViewExport"]

NOTHING_TO_EXPORT = "Nothing to export: the compare grid needs a result — run the model on this image first (Ctrl+R)"
NOTHING_TO_EXPORT_VIEW = "Nothing to export: the view has no analysis layers — run the model on this image first (Ctrl+R)"


class Shown(Protocol):
    """The result the analysis view shows, as the exports read it (:class:`~app.analysis.shown.ShownResult`):
    the prediction (None: none), its image's ground truth (None: none), the layer arrays drawn and the
    settings (threshold, region rule) they were drawn with; `work` makes a huge image's arrays (an
    export waits for them: :meth:`ShownWork.wait`)."""

    settings: AnalysisSettings
    prediction: Prediction | None
    label: np.ndarray | None
    work: ShownWork

    @property
    def arrays(self) -> dict[str, np.ndarray]: ...


class GridExport:
    """Keeps the compare `grid` (shown in `dock`) in step with the result `shown` on `window`'s
    current image, and writes it out; `report` says what could not be written."""

    def __init__(self, window: AppWindow, shown: Shown, grid: CompareGrid, dock: QDockWidget,
                 report: Callable[[str], None]) -> None:
        self._window = window
        self._shown = shown
        self._grid = grid
        self._dock = dock
        self._report = report
        #: why the last :meth:`write` wrote nothing ("" when it wrote, or had nothing to write)
        self.failure = ""

    def update(self) -> None:
        """Refresh the grid's panels (only while its dock is visible)."""
        if not self._dock.isVisible():
            return
        image, shown = self._window.session.current_image, self._shown
        self._grid.set_content(None if image is None else image.rgb, shown.prediction, shown.label,
                               shown.settings.threshold, shown.settings.keep)

    def possible(self) -> bool:
        """Whether the grid has something to show: the current image and its result."""
        return self._window.session.current_image is not None and self._shown.prediction is not None

    def write(self, path: str | Path) -> bool:
        """Write the compare grid of the current image as one picture in the format `path`'s suffix
        names (no suffix: PNG; one no writer knows: not written, :attr:`failure` says so); returns
        whether it was written (nothing is written without a result: the panels would be empty).
        Written to a temporary file beside `path` and renamed over it once written: a grid that cannot
        be saved (one too tall for a PNG) leaves `path` as it was, where Qt's writer had truncated it to 0 bytes. :attr:`failure`
        says why it was not written."""
        image, shown = self._window.session.current_image, self._shown
        self.failure = ""
        if image is None or shown.prediction is None:
            return False
        self._grid.set_content(image.rgb, shown.prediction, shown.label, shown.settings.threshold,
                               shown.settings.keep)
        path = Path(path)
        kind = picture_format(path)  # grid.jpg: a JPEG (it was PNG data whatever the name)
        if not kind:
            self.failure = unknown_suffix(path)
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_target(path) as temporary:
                if not self._grid.export_picture(temporary, kind):
                    raise _NotWritten
        except _NotWritten:
            self.failure = f"the {kind.upper()} writer could not save the grid"
            return False
        except OSError as e:
            self.failure = str(e.strerror or e)
            return False
        return True

    def dialog(self) -> None:
        """Ask where, write it; without a result say there is nothing to export (the action is
        disabled then, but a shortcut or a script may still trigger it)."""
        window = self._window
        if not self.possible():
            window.statusBar().showMessage(NOTHING_TO_EXPORT, 8000)
            return
        image = window.session.current_image
        stem = Path(image.path).stem if image is not None else "image"  # one file per image, named after it
        path, _ = QFileDialog.getSaveFileName(window, "Export Compare Grid", f"{stem}-compare-grid.png",
                                              "PNG images (*.png);;JPEG images (*.jpg *.jpeg)")
        if path and not self.write(path):
            self._report(f"could not write {path}: {self.failure}")


class _NotWritten(Exception):
    """The grid could not be saved: the temporary file goes, the target stays as it was."""


class _ViewWritten(QObject):
    """done(path, what went wrong: "" when written), from the writing thread to the GUI thread."""

    done = Signal(str, str)


class ViewExport:
    """Writes `window`'s current image with the visible `layers` of the result `shown` (see module
    doc); `report` says what could not be written.

    The dialog's export blends and encodes on a worker thread (at 8000x6000 with every layer shown
    that is tens of seconds of CPU): the status bar says it is under way, then that it is written; the
    file holds the layers as they were when it was asked for. One at a time. Both wait for the layer
    arrays being made of a huge image's result (:mod:`app.analysis.shown_work`) before reading them:
    asked meanwhile, the view was written with no layer."""

    def __init__(self, window: AppWindow, shown: Shown, layers: LayerStack, report: Callable[[str], None]) -> None:
        self._window = window
        self._shown = shown
        self._layers = layers
        self._report = report
        self._signals = _ViewWritten()  # made on the GUI thread: the worker's signal is queued to it
        self._signals.done.connect(self._written)
        #: the file being written by the worker thread, None when none is
        self.writing: Path | None = None
        #: why the last :meth:`write` wrote nothing ("" when it wrote, or had nothing to write)
        self.failure = ""

    def write(self, path: str | Path) -> bool:
        """Write the current image with its visible analysis layers to `path` (atomically), in the
        format its suffix names (no suffix: PNG), on this thread; returns whether it was written
        (nothing without a result shown; :attr:`failure` says why not otherwise)."""
        image = self._window.session.current_image
        self.failure = ""
        if image is None or self._shown.prediction is None:
            return False
        self._shown.work.wait()  # the layers being made of the result shown
        self.failure = _write_view(Path(path), image.rgb, self._layers, self._shown.arrays)
        return not self.failure

    def dialog(self) -> None:
        """Ask where (offering the current image's name + "-view.png"), then write it on a worker
        thread; the status bar says when it is written (`report`: why not)."""
        window = self._window
        image = window.session.current_image
        if image is None or self._shown.prediction is None:
            window.statusBar().showMessage(NOTHING_TO_EXPORT_VIEW, 8000)
            return
        if self.writing is not None:
            window.statusBar().showMessage(f"Export View is still writing {self.writing}: wait for it", 8000)
            return
        self._shown.work.wait()  # the layers being made of the result shown (its title names them)
        arrays = dict(self._shown.arrays)
        shown = ", ".join(layer.name for layer in self._layers if layer.visible and layer.name in arrays)
        path, _ = QFileDialog.getSaveFileName(window, f"Export View (image + {shown or 'no layer'})",
                                              f"{Path(image.path).stem}-view.png",
                                              "PNG images (*.png);;JPEG images (*.jpg *.jpeg)")
        if not path:
            return
        if not picture_format(Path(path)):  # refused before any work, as the grid's
            self._report(f"could not write {path}: {unknown_suffix(Path(path))}")
            return
        layers = LayerStack([dataclasses.replace(layer) for layer in self._layers])  # as asked for
        self.writing = Path(path)
        window.statusBar().showMessage(f"Exporting the view to {path}…")
        threading.Thread(target=self._write_job, args=(Path(path), image.rgb, layers, arrays),
                         name="export-view", daemon=True).start()

    def _write_job(self, path: Path, rgb: np.ndarray, layers: LayerStack, arrays: dict[str, np.ndarray]) -> None:
        """The worker thread's part of `dialog`: write, then tell the GUI thread."""
        try:
            failure = _write_view(path, rgb, layers, arrays)
            error = f"could not write {path}: {failure}" if failure else ""
        except OSError as e:
            error = f"could not write {path}: {e.strerror or e}"
        except Exception as e:  # a bug must reach the user, not end a thread silently
            error = f"could not write {path}: {type(e).__name__}: {e}"
        try:
            self._signals.done.emit(str(path), error)
        except RuntimeError:  # the window is gone
            pass

    def _written(self, path: str, error: str) -> None:
        self.writing = None
        if error:
            self._report(error)
        else:
            self._window.statusBar().showMessage(f"Exported the view to {path}", 5000)


def _write_view(path: Path, rgb: np.ndarray, layers: LayerStack, arrays: dict[str, np.ndarray]) -> str:
    """`rgb` with the visible `layers` of `arrays` blended over it, written to `path` (atomically) in the
    format its suffix names (no suffix: PNG; view.jpg was PNG data whatever the name); "" when written,
    else why not (a suffix no writer knows: nothing is drawn). OpenCV under the exit fence: at exit a
    write under way is finished."""
    kind = picture_format(path)
    if not kind:
        return unknown_suffix(path)
    with native_code():
        encoded = _encoded(composite(rgb, layers, arrays), kind)
    if encoded is None:
        return f"the {kind.upper()} writer could not save the view"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, encoded)
    return ""


def _encoded(pixels: np.ndarray, kind: str) -> bytes | None:
    """uint8 (H, W, 3) RGB `pixels` as a file of format `kind` (a :func:`picture_format`): OpenCV's
    writer where it has one (PNG, JPEG, TIFF, BMP...), else Qt's; None when the writer refused."""
    if cv2.haveImageWriter(f"view.{kind}"):
        ok, encoded = cv2.imencode(f".{kind}", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR))
        return encoded.tobytes() if ok else None
    height, width = pixels.shape[:2]
    pixels = np.ascontiguousarray(pixels)
    image = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return bytes(buffer.data().data()) if image.save(buffer, kind.upper()) else None
