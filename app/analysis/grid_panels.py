"""The compare grid's layout (:class:`GridPanels`, which :class:`~app.analysis.compare_grid.CompareGrid`
fills): five columns, each a title over a panel (a pyqtgraph ViewBox holding the column's picture), the
colour keys under the scalar panels, the outlines and the prediction panel's note.

The panels are equal columns whatever their titles (a title wraps within its column), so the same view
range shows the image at the same size in each. They zoom and pan together through their target
ranges (what to show; each panel widens it to its own aspect), not pyqtgraph's X/Y links: linked
aspect-locked panels of unequal widths passed each other their widened ranges, which grew at every
resize (the images a few pixels wide in a narrow dock). The target stays the image's bounds until the
user zooms or pans, so a resized panel shows the whole image as large as it fits.

The outlines are clipped to their image: a line along the image's edge stayed within the panel, not
half a pen's width into the gap beside it. The panels are made when the grid is first shown or used
(:attr:`GridPanels.built`): most windows never show it (bench/bench_window_build.py)."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPen, QResizeEvent, QShowEvent, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QWidget

from app.analysis.grid_key import GridKey
from app.analysis.grid_maps import DRAWING_TEXT
from app.analysis.grid_titles import COLUMNS, GT_RGB, KEYED, column_titles
from app.analysis.render import outline_pen
from app.sliver import SliverImageItem
from fosp_core.analysis.layers import (
    GROUND_TRUTH_OUTLINE,
    PREDICTION_COLOUR,
    PREDICTION_OUTLINE,
    SOLID_COLORS,
    outline_colour,
)

__all__ = ["PREDICTION_LINE", "GridPanels"]

#: The prediction mask's solid outline, as the canvas draws it, around the prediction panel's mask.
PREDICTION_LINE = outline_colour(SOLID_COLORS[PREDICTION_COLOUR], PREDICTION_OUTLINE)
#: The height the grid asks for as its dock opens under the canvas: panels of about 180 px under two
#: lines of titles (pyqtgraph's 480 px took two thirds of a 768 px window).
_HEIGHT_HINT = 240
#: what :meth:`GridPanels._build` makes: reading one makes them all
_PANEL_PARTS = frozenset({"labels", "keys", "gt_outline", "prediction_outline", "truth_panel", "mask_note"})


class _Panels(dict[str, pg.ImageItem]):
    """The grid's pictures by column: reading one before they are made (`build`) makes them."""

    def __init__(self, build: Callable[[], None]) -> None:
        super().__init__()
        self._build: Callable[[], None] | None = build

    def __missing__(self, column: str) -> pg.ImageItem:
        build, self._build = self._build, None  # made once: a column missing then is missing
        if build is None:
            raise KeyError(column)
        build()
        return self[column]


class GridPanels(pg.GraphicsLayoutWidget):
    """Five titled, linked, equal panels, made when first shown or used (:attr:`built`); a subclass
    fills them, told by :meth:`_panels_made` once they are made."""

    # made when first shown or used (_build, _PANEL_PARTS)
    labels: list[pg.LabelItem]
    keys: dict[str, GridKey]
    gt_outline: pg.PlotCurveItem
    prediction_outline: pg.PlotCurveItem
    truth_panel: QGraphicsRectItem
    mask_note: pg.TextItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("#202020")
        self._built = False  # the panels: made when first shown or used (_build)
        self.view_boxes: list[pg.ViewBox] = []  # (filled by _build)
        # column -> its picture; a column read before the panels are made makes them (`items` is also
        # QGraphicsView's method: this dict, not a part made on first read)
        self.items: dict[str, pg.ImageItem] = _Panels(self._build)
        self._shape: tuple[int, int] | None = None  # (height, width) of the image shown

    @property
    def built(self) -> bool:
        """Whether the five panels are made yet (pyqtgraph view boxes, labels, keys: ~0.04 s of CPU and
        their teardown, in every window, most never showing the grid): made when first shown or used
        (any of :data:`_PANEL_PARTS` read)."""
        return self._built

    def __getattr__(self, name: str) -> object:
        if name in _PANEL_PARTS and not self.__dict__.get("_built", True):
            self._build()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if not self._built:
            self._build()
        super().showEvent(event)

    def _build(self) -> None:
        """Make the panels, their titles, keys, outlines and notes (see the module doc)."""
        if self._built:
            return
        self._built = True
        self.labels = []
        for col, (title, text) in enumerate(zip(COLUMNS, column_titles(None), strict=True)):
            self.labels.append(self.addLabel(text, row=0, col=col, color="#d6d6d6", size="10pt"))
            wrap = QTextOption(Qt.AlignmentFlag.AlignHCenter)  # centred lines, a word longer than its
            wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # column broken too
            self.labels[-1].item.document().setDefaultTextOption(wrap)
            box = self.addViewBox(row=1, col=col, lockAspect=True, invertY=True, enableMenu=False)
            box.setDefaultPadding(0.0)
            box.sigRangeChangedManually.connect(lambda _mask, b=box: self._follow(b))
            self.view_boxes.append(box)
            item = SliverImageItem(axisOrder="row-major")  # a strip under a pixel wide still shows
            box.addItem(item)
            self.items[title] = item
        for col in range(len(COLUMNS)):
            self.ci.layout.setColumnStretchFactor(col, 1)
        self.equal_columns(self.width())
        self.keys = {}
        for title in KEYED:
            self.keys[title] = GridKey()
            self.addItem(self.keys[title], row=2, col=COLUMNS.index(title))
        # the outlines are children of their panel's image, clipped to it (a cosmetic pen along the
        # image's edge drew half its width past the panel, into the gap)
        self.gt_outline = pg.PlotCurveItem(pen=outline_pen(GT_RGB, GROUND_TRUTH_OUTLINE), antialias=False)
        self.prediction_outline = pg.PlotCurveItem(pen=outline_pen(PREDICTION_LINE, PREDICTION_OUTLINE),
                                                   antialias=False)
        # the ground truth's on the Focus Map's bounds, plain where the model made no Focus Map (a
        # SegFormer baseline): the outline stays, on a picture of its own
        self.truth_panel = QGraphicsRectItem(0, 0, 4, 3)
        self.truth_panel.setPen(QPen(Qt.PenStyle.NoPen))
        self.truth_panel.setZValue(1)  # over the Focus Map's picture
        self.view_boxes[1].addItem(self.truth_panel, ignoreBounds=True)
        for curve, parent in ((self.gt_outline, self.truth_panel), (self.prediction_outline, self.items[COLUMNS[4]])):
            parent.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
            curve.setParentItem(parent)
            curve.setZValue(5)
        self.mask_note = pg.TextItem(DRAWING_TEXT, color="#a0a0a0", anchor=(0.5, 0.5))
        self.mask_note.setVisible(False)
        self.view_boxes[COLUMNS.index(COLUMNS[4])].addItem(self.mask_note, ignoreBounds=True)
        self._panels_made()

    def _panels_made(self) -> None:
        """The panels, keys, outlines and notes are made: a subclass takes them (told once)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """pyqtgraph's width, the height of :data:`_HEIGHT_HINT`."""
        return QSize(super().sizeHint().width(), _HEIGHT_HINT)

    def resizeEvent(self, event: QResizeEvent | None) -> None:  # noqa: N802 (Qt API)
        """Equal columns for the new width, before the panels are laid out (see the module doc)."""
        # (pyqtgraph's __init__ calls this with None before the labels are made; after close() the
        # layout is deleted: pyqtgraph's own resizeEvent returns then)
        if self.__dict__.get("_built") and not self.closed:
            self.equal_columns(self.width() if event is None else event.size().width())
        super().resizeEvent(event)

    def equal_columns(self, width: float) -> None:
        """Make the five columns equal within `width` pixels of grid, each title wrapping within its own."""
        grid = self.ci.layout
        left, _, right, _ = grid.getContentsMargins()
        outer_left, _, outer_right, _ = self.ci.getContentsMargins()
        spare = width - left - right - outer_left - outer_right - grid.horizontalSpacing() * (len(COLUMNS) - 1)
        column = max(1.0, spare / len(COLUMNS))
        for col, label in enumerate(self.labels):
            label.item.setTextWidth(column)
            label.updateMin()
            grid.setColumnFixedWidth(col, column)

    def _follow(self, box: pg.ViewBox) -> None:
        """The user zoomed or panned `box`: the other panels show what it shows."""
        target = box.targetRect()
        for other in self.view_boxes:
            if other is not box:
                other.setRange(rect=target, padding=0.0)

    def fit(self) -> None:
        """Show the whole image in every panel, as large as it fits (the user's zoom let go)."""
        h, w = self._shape or (3, 4)
        for box in self.view_boxes:  # (none while the panels are not made: they start fitted)
            box.setRange(rect=QRectF(0, 0, w, h), padding=0.0)

    @property
    def shape(self) -> tuple[int, int] | None:
        """(height, width) of the image shown, None when none is."""
        return self._shape

    def titles(self) -> list[str]:
        """The titles shown over the panels (:func:`~app.analysis.grid_titles.column_titles`)."""
        return [label.text for label in self.labels]

    def _set_titles(self, titles: tuple[str, ...]) -> None:
        for label, text in zip(self.labels, titles, strict=True):
            if label.text != text:
                label.setText(text)
