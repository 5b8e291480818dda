"""How the right-hand column's height is shared between the Model dock and the Layers dock under it.

Qt shares a change of the window's height between the docks of a column in proportion to their
heights, so a fixed minimum decides what is cut: with the Layers list's minimum at every row, a
large font (14 pt) left the Model dock 104 px on a 1280 x 680 window, its Run button out of view,
and the window could not be shorter than 668 px; with a smaller minimum alone, the Layers list
scrolled at the default font on 1366 x 768. :class:`ColumnSplit` sets the split (:func:`split_column`)
each time the column's height changes: the Layers list keeps every row while the Model dock keeps
its run buttons and metrics in view, and scrolls where not (:data:`app.analysis.layer_list.MIN_ROWS`
rows at least, and whole rows: no half row cut at its foot). The analyst's own split (the separator dragged) stands until the column's height,
or what the docks need, changes.

With other tabs raised in the two places (Annotate above, the Worklist under it) the list under gets the rows
it scrolls to from the room the dock above leaves under its contents (:meth:`ColumnSplit.fit_tabs`): at
1280 x 720 the Worklist showed 3 of 4 rows under 71 px of the Annotate dock's empty room. Where the dock above
scrolls it gets what its contents need from the list under, which keeps a few rows, in whole rows: the Annotate
dock's status line was scrolled out of view at every size up to 1366 x 768 (the Layers list keeping every row).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QMainWindow, QScrollArea, QTabBar, QWidget

from app.analysis.layer_list import MIN_ROWS, LayerList
from app.analysis.model_panel import ModelPanel

__all__ = ["ColumnSplit", "dock_extent", "split_column"]

_FEW_ROWS_PX = 100  # the least a list under keeps, in rows: MIN_ROWS rows of a short list, 2 of tall ones (photos)


def split_column(total: int, model: int, essential: int, full: int, every_row: int, few_rows: int,
                 row: int = 1) -> int:
    """The Model dock's height in a column of `total` px shared with the Layers dock, the Model
    dock `model` px now. It needs `essential` px for its panel (details folded) and metrics,
    `full` with the details unfolded; the Layers dock `every_row` px to show every row, `few_rows`
    for :data:`~app.analysis.layer_list.MIN_ROWS` rows, each further row `row` px. Every row while
    the Model dock keeps its essentials (and its details where that leaves every row: a tall
    screen), else the Model dock its essentials and the Layers list scrolls (never below its few
    rows), showing whole rows: the pixels short of a row go to the Model dock."""
    if total >= essential + every_row:
        return min(max(model, min(full, total - every_row)), total - every_row)
    height = max(1, min(essential, total - few_rows))
    layers = total - height
    if layers > few_rows and row > 1:
        height += (layers - few_rows) % row  # no half row cut at the list's foot
    return height


class ColumnSplit(QObject):
    """Keeps the split of :func:`split_column` between `model` (a scroll area over `box`, which
    holds `panel` and the metrics) and `layers` as the column's height changes."""

    def __init__(self, window: QMainWindow, model: QDockWidget, box: QWidget, panel: ModelPanel,
                 layers: QDockWidget, layer_list: LayerList) -> None:
        super().__init__(window)
        self.window, self.model, self.box, self.panel = window, model, box, panel
        self.layers, self.layer_list = layers, layer_list
        self._last: tuple[int, ...] = ()  # the column's height and the docks' needs at the last fit
        self._last_tabs: tuple[object, ...] = ()  # the same for the docks tabbed with them (`fit_tabs`)
        self._due = False
        # the deferred fit: a timer of this object's own, deleted with it (a window closed). A pending
        # QTimer.singleShot(0, self, self.fit) held the bound method, and through it the window and its
        # models, in C++ where no collection sees it: ~5 MiB kept a closed video window
        self._fit_later = QTimer(self)
        self._fit_later.setSingleShot(True)
        self._fit_later.setInterval(0)
        self._fit_later.timeout.connect(self.fit)
        for dock in (model, layers):
            dock.installEventFilter(self)
        box.installEventFilter(self)  # its content changes: a result's metrics and their note

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if watched is self.box and kind != QEvent.Type.LayoutRequest:
            return False
        if kind in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Move,
                    QEvent.Type.LayoutRequest) and not self._due:  # Move: a tab raised (the others move out)
            self._due = True  # after the layout has placed both docks, outside its resize
            self._fit_later.start()
        return False

    def fit(self) -> None:
        """Share the column anew if its height or what the docks need changed since the last fit
        (and both docks are shown, docked one above the other)."""
        self._due = False
        model, layers = self.model, self.layers
        for dock in (*self._places()[0], *self._places()[1]):  # their tabs raised and resized: fit again
            dock.installEventFilter(self)  # (once: Qt replaces a filter installed again)
        if not self._stacked():
            self._last = ()
            self.fit_tabs()
            return
        self._last_tabs = ()
        total = model.height() + layers.height()
        needs = self._needs()
        if (total, *needs) == self._last:
            return  # the analyst's split stands
        self._last = (total, *needs)
        height = split_column(total, model.height(), *needs)
        if height != model.height():
            grow = height - model.height()
            self.window.resizeDocks([model, layers], [self._extent(model) + grow, self._extent(layers) - grow],
                                    Qt.Orientation.Vertical)

    def _places(self) -> tuple[list[QDockWidget], list[QDockWidget]]:
        """The docks of the Model dock's place (it and those tabbed with it), and of the Layers dock's."""
        return ([self.model, *self.window.tabifiedDockWidgets(self.model)],
                [self.layers, *self.window.tabifiedDockWidgets(self.layers)])

    def fit_tabs(self) -> None:
        """The docks raised in the Model's and the Layers' places being others (Annotate, the Worklist): the
        one under gets the height its list scrolls for, from what the one above has beyond its size hint.
        A split the analyst dragged stands until the column's height or the list's rows change."""
        places = self._places()
        inside = self.window.rect()  # (a dock behind another's tab stays "visible", moved out of the window)
        shown = [[d for d in place if d.isVisible() and not d.isFloating() and inside.intersects(d.geometry())]
                 for place in places]
        if len(shown[0]) != 1 or len(shown[1]) != 1:
            self._last_tabs = ()
            return
        top, under = shown[0][0], shown[1][0]
        if top.x() != under.x() or top.geometry().bottom() >= under.y():
            return
        lists = [v for v in under.findChildren(QAbstractItemView) if v.isVisible() and v.model() is not None]
        if not lists:
            return
        view = max(lists, key=lambda v: v.height())
        rows, row = view.model().rowCount(), max(1, view.sizeHintForRow(0))
        key = (top, under, top.height() + under.height(), rows)
        if key == self._last_tabs:
            return  # the analyst's split stands
        self._last_tabs = key
        shown = view.viewport().height()
        room = top.height() - _contents_height(top)
        if room >= 0:  # the list under gets what it scrolls for from the room above
            grow = min(rows * row - shown, room) if view.verticalScrollBar().maximum() > 0 else 0
        else:  # the dock above scrolls: it gets what it needs, the list keeping its few rows
            few = min(rows, max(2, min(MIN_ROWS, _FEW_ROWS_PX // row, _least_rows(view, row)))) * row
            grow = -max(0, min(-room, shown - few, under.height() - under.minimumSizeHint().height()))
        if shown + grow < rows * row:  # the list scrolls: whole rows, the rest to the dock above
            cut = (shown + grow) % row
            grow += -cut if under.height() + grow - cut >= under.minimumSizeHint().height() else row - cut
        if grow != 0:
            self.window.resizeDocks([top, under], [self._extent(top) - grow, self._extent(under) + grow],
                                    Qt.Orientation.Vertical)

    def _needs(self) -> tuple[int, int, int, int, int]:
        """(essential, full, every_row, few_rows, row): see :func:`split_column`."""
        area = self.model.widget()
        chrome = self.model.height() - (area.viewport().height() if isinstance(area, QScrollArea) else 0)
        width = area.width()  # the box as wrapped beside a scroll bar: its longest (the metrics' note)
        if isinstance(area, QScrollArea):
            width -= area.verticalScrollBar().sizeHint().width()
        box = self.box.heightForWidth(width) if self.box.hasHeightForWidth() else -1
        box = max(box, self.box.sizeHint().height())
        details = self.panel.details_height() if self.panel.details_shown() else 0
        essential = chrome + box - details
        full = essential + self.panel.details_height()
        rows = self.layer_list.list
        around = self.layers.height() - rows.height()
        row = max(1, rows.sizeHintForRow(0))
        few = around + self.layer_list.rows_height(MIN_ROWS)
        least = self._least_height()
        if least > few:  # the dock's minimum (its note, opacity row, legend; the Worklist tabbed with it)
            # is over the few rows: rounded up to whole rows, or the list's foot cut a row (116 px for
            # rows of 16 at 1024 x 640), unless that alone would put the Model dock's essentials out of view
            whole = least + -(least - around - 2 * rows.frameWidth()) % row
            total = self.model.height() + self.layers.height()
            few = least if total - whole < essential <= total - least else whole
        return essential, full, around + self.layer_list.rows_height(), few, row

    def _least_height(self) -> int:
        """The least height of the Layers dock's place: its own and that of each open dock tabbed with it."""
        docks = [self.layers, *(d for d in self.window.tabifiedDockWidgets(self.layers) if d.toggleViewAction().isChecked())]
        return max(d.minimumSizeHint().height() for d in docks)

    def _stacked(self) -> bool:
        """Both docks shown in the main window, the Model dock above the Layers dock."""
        model, layers = self.model, self.layers
        if not (model.isVisible() and layers.isVisible()) or model.isFloating() or layers.isFloating():
            return False
        area = self.window.dockWidgetArea(model)
        return (area == self.window.dockWidgetArea(layers) and model.x() == layers.x()
                and model.geometry().bottom() < layers.y())

    def _extent(self, dock: QDockWidget) -> int:
        """The height of `dock`'s place in the column (:func:`dock_extent`)."""
        return dock_extent(self.window, dock)


def _least_rows(view: QAbstractItemView, row: int) -> int:
    """The rows `view`'s own least height holds (:data:`~app.analysis.layer_list.MIN_ROWS` where it has none): the
    Layers list's few rows in video mode are `app.video.chrome.FEW_ROWS` (3), where the Annotate dock above it kept
    five and Outline only lay under its foot at 125 % on 1366 x 768."""
    least = view.minimumHeight() - 2 * view.frameWidth()
    return least // row if least > 0 else MIN_ROWS


def _contents_height(dock: QDockWidget) -> int:
    """The height `dock` needs to show its contents unscrolled: a scroll area's content as wrapped at its
    width (the area's own size hint is capped, and left the Annotate dock's status line scrolled out of view)."""
    hint = max(dock.sizeHint().height(), dock.minimumSizeHint().height())
    area = dock.widget()
    content = area.widget() if isinstance(area, QScrollArea) else None
    if content is None:
        return hint
    width = area.viewport().width()
    need = content.heightForWidth(width) if content.hasHeightForWidth() else content.sizeHint().height()
    return max(hint, dock.height() - area.viewport().height() + need)


def dock_extent(window: QMainWindow, dock: QDockWidget) -> int:
    """The height of `dock`'s place in its column: the dock and, where it is tabbed with others, the
    tab bar under it (what QMainWindow.resizeDocks sizes)."""
    place = dock.geometry()
    under = QRect(place.left(), place.bottom() + 1, place.width(), 1)
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if bar.isVisible() and bar.geometry().intersects(under.adjusted(0, 0, 0, 8)):
            return bar.geometry().bottom() + 1 - place.top()
    return place.height()
