"""The compare grid's map panels (Focus Map, separated background, separated foreground), their
full-size pictures made off the GUI thread.

A letterboxed prediction holds those maps at the network's grid (:class:`~fosp_core.infer.gridmap.
GridMap`); the grid made their full arrays on the GUI thread at every switch of image while its dock
was shown (0.4-2.6 s at 12-48 MP). :class:`GridMaps` takes a picture it can have now: an ndarray as it
is, the very array the canvas drew (`made`: :meth:`app.analysis.deferred_overlays.DeferredOverlays.made`,
the inference thread's ``PreparedResult.drawn`` among them), the one it showed last for the same map
(a threshold move); any other is asked of the canvas's upsampling worker
(:class:`~app.analysis.upsampler.LayerUpsampler`, shared: a map the canvas is making is made once),
its panel saying "drawing…" until it comes; an answer for content no longer shown is dropped. The
worker also makes a scalar map's colour indices (:mod:`app.analysis.grid_indexed`), which the panel is
handed instead of the float map: pyqtgraph's rescale of it at the first paint does not run on the GUI
thread (the same picture).
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtGui import QFontMetricsF

from app.analysis.grid_indexed import IndexedMap, IndexedPicture
from app.analysis.upsampler import LayerUpsampler, deferred, upsample
from fosp_core.infer.result import Prediction

if TYPE_CHECKING:
    from collections.abc import Mapping

    from PySide6.QtCore import SignalInstance

__all__ = ["DRAWING_TEXT", "ForegroundSum", "GridMaps", "foreground_image", "item_levels", "wait_settled",
           "wrapped"]

DRAWING_TEXT = "drawing…"
#: How long an export waits for its maps at most (a worker that failed would keep it waiting).
_EXPORT_WAIT_MS = 300_000

Made = Callable[[object], "np.ndarray | None"]
#: The characters of a line of a panel's note (a narrow dock's panel is about 130 px: 20 at 10 pt).
_NOTE_LINE = 20


def wrapped(text: str, width: int = _NOTE_LINE) -> str:
    """`text` in lines of at most `width` characters, broken between words."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def item_levels(picture: np.ndarray, levels: tuple[float, float] | None) -> tuple[float, float] | None:
    """The levels to hand an ImageItem drawing `picture` between `levels`: None for a uint8 RGB picture
    between 0 and 255, whose rescale by pyqtgraph is the identity (x - 0) * 255 / 255, computed in
    Python-driven chunks: 0.7-2.9 s for a 48 MP photo on the GUI thread at its first paint (session 28,
    C); without levels pyqtgraph passes the bytes through as they are (the same picture)."""
    if (levels is not None and picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3
            and float(levels[0]) == 0.0 and float(levels[1]) == 255.0):
        return None
    return levels


def wait_settled(settled: SignalInstance, awaited: Callable[[], bool], limit_ms: int = _EXPORT_WAIT_MS) -> None:
    """Run the GUI thread's events until `settled` fires, while `awaited()` says an answer is awaited
    (`limit_ms` at most: a worker that failed would keep an export waiting)."""
    if not awaited():
        return
    loop = QEventLoop()
    settled.connect(loop.quit)
    QTimer.singleShot(limit_ms, loop.quit)
    try:
        if awaited():
            loop.exec()
    finally:
        settled.disconnect(loop.quit)


def _whole(values: object) -> np.ndarray:
    """`values` at the image's size: an ndarray as it is, a map made (or taken, :func:`upsample`)."""
    return upsample(values) if deferred(values) else values  # type: ignore[arg-type, return-value]


def foreground_image(prediction: Prediction, made: Made | None = None) -> np.ndarray | None:
    """float32 (H, W) in 0..1: the foreground-feature energy of every stride, each scaled by its
    maximum, averaged - one picture of what the separation module calls foreground (None: no stride
    found any). `made`: full arrays made already of the energies held at the grid (the canvas's);
    others are made here, one at a time (call it off the GUI thread when some are held at the grid)."""
    total: np.ndarray | None = None
    count = 0
    for energy in prediction.foreground_energy.values():
        if not energy.size:
            continue
        full = (made(energy) if made is not None else None) if deferred(energy) else None
        full = _whole(energy) if full is None else full
        top = float(full.max())
        if not top > 0:
            continue
        if total is None:
            total = np.zeros(prediction.shape, np.float32)
        total += full / np.float32(top)
        count += 1
    return None if total is None else total / np.float32(count)


class ForegroundSum:
    """The separated-foreground picture of `prediction` as a map the worker makes (``full()``)."""

    def __init__(self, prediction: Prediction, made: Made | None = None) -> None:
        """`made` is asked now, on this thread (it may read the GUI thread's state)."""
        self.prediction = prediction
        given = ((e, None if made is None else made(e)) for e in prediction.foreground_energy.values() if deferred(e))
        self._given = {id(e): full for e, full in given if full is not None}

    def full(self) -> np.ndarray | None:
        """:func:`foreground_image` of the prediction (any thread)."""
        return foreground_image(self.prediction, lambda e: self._given.get(id(e)))

    def same(self, other: object) -> bool:
        """Whether `other` is the picture of the same prediction's energies."""
        return isinstance(other, ForegroundSum) and other.prediction is self.prediction and all(
            a is b for a, b in zip(other.prediction.foreground_energy.values(),
                                   self.prediction.foreground_energy.values(), strict=True))


class GridMaps(QObject):
    """Fills the map panels `items` (column -> ImageItem, in `boxes`' ViewBoxes) as their pictures
    come; `drawn(column)` after one was set; `settled` once none is awaited."""

    drawn = Signal(str)
    settled = Signal()

    def __init__(self, items: Mapping[str, pg.ImageItem], boxes: Mapping[str, pg.ViewBox],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: dict[str, pg.ImageItem] = {}
        self.worker = LayerUpsampler(self)
        self.worker.ready.connect(self._ready)
        self.made: Made = lambda _source: None
        self.waiting: dict[str, object] = {}  # column -> the map asked of the worker
        self._shown: dict[str, tuple[object, np.ndarray | None]] = {}  # column -> (map, its picture)
        self._indexed: dict[str, tuple[float, float]] = {}  # column -> the levels of the indices it is drawn from
        self._levels: dict[str, tuple[float, float]] = {}
        self._token = 0
        self.notes: dict[str, pg.TextItem] = {}
        #: column -> what its panel says of a map the result has not (the model has no such stage)
        self.missing: dict[str, pg.TextItem] = {}
        self.add_panels(items, boxes)

    def add_panels(self, items: Mapping[str, pg.ImageItem], boxes: Mapping[str, pg.ViewBox]) -> None:
        """Fill the panels `items` too, their notes in `boxes` (a grid makes its panels when first shown)."""
        self.items.update(items)
        for column, box in boxes.items():
            for notes, text, anchor in ((self.notes, DRAWING_TEXT, (0.5, 0.5)), (self.missing, "", (0.5, 0.0))):
                note = pg.TextItem(text, color="#aaaaaa", anchor=anchor)
                note.setVisible(False)
                note.setZValue(10)  # over a plain panel
                box.addItem(note, ignoreBounds=True)
                notes[column] = note

    def share(self, worker: LayerUpsampler, made: Made) -> None:
        """Queue on `worker`'s thread (the canvas's) and take the arrays `made` gives (the canvas's)."""
        self.worker.close()
        self.worker = LayerUpsampler(self, share=worker)
        self.worker.ready.connect(self._ready)
        self.made = made

    def set_maps(self, maps: Mapping[str, tuple[object | None, tuple[float, float]]],
                 centre: tuple[float, float]) -> None:
        """Show in each column its map (None: nothing) between its levels: drawn now when its picture is
        at hand, else asked of the worker (the panel says "drawing…" at `centre`, x, y)."""
        self._token += 1
        self.worker.set_current(self._token)
        self.waiting = {}
        for column, (source, levels) in maps.items():
            self._levels[column] = levels
            picture = self._at_hand(column, source)
            if source is None or picture is not None:
                self._set(column, source, picture)
                continue
            self.items[column].clear()
            self._shown.pop(column, None)
            request = IndexedMap(source, levels)  # the map and, for a scalar one, its colour indices
            self.waiting[column] = request
            self.notes[column].setPos(*centre)
            self.worker.request(self._token, column, request)
        for column, note in self.notes.items():
            note.setVisible(column in self.waiting)
        if not self.waiting:
            self.settled.emit()  # (an export waiting for the last content needs nothing more)

    def _at_hand(self, column: str, source: object | None) -> np.ndarray | None:
        if source is None:
            return None
        last = self._shown.get(column)
        if last is not None and (last[0] is source or (isinstance(source, ForegroundSum) and source.same(last[0]))):
            return last[1]
        if isinstance(source, ForegroundSum):
            if not any(deferred(e) for e in source.prediction.foreground_energy.values()):
                return source.full()  # ndarrays: as cheap as before
            return None
        if not deferred(source):
            return source  # type: ignore[return-value]
        return self.made(source)

    def set_missing(self, words: Mapping[str, str], top: tuple[float, float]) -> None:
        """Say in each column of `words` why its map is missing (under `top`, x, y: the middle of the
        image's top edge, clear of most of an outline drawn on the panel); the others say nothing."""
        for column, note in self.missing.items():
            text = words.get(column, "")
            if text:
                lines = wrapped(text).splitlines()
                note.setHtml('<div style="text-align: center; color: #aaaaaa">'
                             + "<br>".join(html.escape(line) for line in lines) + "</div>")
                metrics = QFontMetricsF(note.textItem.font())  # centred lines need the block's width
                note.setTextWidth(max(metrics.horizontalAdvance(line) for line in lines) + 8)
                note.setPos(*top)
            note.setVisible(bool(text))

    def missing_texts(self) -> dict[str, str]:
        """column -> what its panel says of its missing map (one line), only those that say it."""
        return {column: " ".join(note.toPlainText().split()) for column, note in self.missing.items()
                if note.isVisible()}

    def picture(self, column: str) -> np.ndarray | None:
        """The picture of `column`'s map shown (its values: the panel may draw its colour indices)."""
        return self._shown.get(column, (None, None))[1]

    def indexed_levels(self, column: str) -> tuple[float, float] | None:
        """The levels of the colour indices `column`'s panel draws (None: it draws the values)."""
        return self._indexed.get(column)

    def draw_values(self, column: str, levels: tuple[float, float]) -> None:
        """Draw `column`'s panel from its values between `levels` (its indices were made for others)."""
        self._indexed.pop(column, None)
        picture = self.picture(column)
        if picture is not None:
            self.items[column].setImage(picture, autoLevels=False, levels=levels)

    def _set(self, column: str, source: object | None, picture: np.ndarray | IndexedPicture | None) -> None:
        item = self.items[column]
        indexed = picture if isinstance(picture, IndexedPicture) else None
        if indexed is not None:
            picture = indexed.values
        if picture is None:
            item.clear()
            self._shown.pop(column, None)
            self._indexed.pop(column, None)
            return
        last = self._shown.get(column)
        self._shown[column] = (source, picture)
        if indexed is not None and indexed.indices is not None:
            self._indexed[column] = indexed.levels
            item.setImage(indexed.indices, autoLevels=False, levels=None)  # (the same picture: grid_indexed)
        elif last is None or last[1] is not picture or item.image is None:  # (the item holds a view of it)
            self._indexed.pop(column, None)
            item.setImage(picture, autoLevels=False, levels=item_levels(picture, self._levels[column]))

    def _ready(self, token: int, column: str, source: object, full: object) -> None:
        """The worker's answer: shown when its panel still waits for that very map."""
        if token != self._token or self.waiting.get(column) is not source:
            return  # stale: other content shown meanwhile
        del self.waiting[column]
        self.notes[column].setVisible(False)
        asked = source.source if isinstance(source, IndexedMap) else source
        self._set(column, asked, full if isinstance(full, (np.ndarray, IndexedPicture)) else None)
        self.drawn.emit(column)
        if not self.waiting:
            self.settled.emit()

    def clear(self) -> None:
        """Nothing shown, nothing awaited."""
        self.set_maps({column: (None, (0.0, 1.0)) for column in self.items}, (0.0, 0.0))

    def wait(self) -> None:
        """Return once every map asked for is shown (the events of the GUI thread run meanwhile: an
        export waits for its maps, the window stays live)."""
        wait_settled(self.settled, lambda: bool(self.waiting))

    def close(self) -> None:
        """Stop asking the worker (the grid goes)."""
        self.worker.close()
