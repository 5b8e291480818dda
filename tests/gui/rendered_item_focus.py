"""The contrast of an item view's current-item focus rectangle, measured from rendered pixels: a list of
rows in the dark palette drawn with a given style is grabbed with the keyboard focus elsewhere and
again with the focus in the list (Tab onto it); the pixels of the current row that focus changed are
the focus indicator. Its figure on a side (the outermost changed pixels on the row's middle line and
on the column half-way along them) is WCAG's contrast of the stronger of the side's first two pixels
against the same pixels before (the row's background there); the weakest side is the row's. Used by tests/gui/test_item_focus_contrast.py."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.theme import dark_palette
from tests.gui.rendered_edges import contrast


def _view(kind: str) -> tuple[QWidget, QListWidget | QTableWidget]:
    """(the widget to lay out, its item view) of `kind`: "list", "table" or "layers" (the app's
    Layers list) or "images" (the Images dock's list, of the bundled demo's photos)."""
    if kind == "images":
        from app.image_list import ImageListView
        from fosp_core.paths import DEMO_DIR
        from fosp_core.session import ImageSession

        session = ImageSession()
        session.add(sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[:4])
        images = ImageListView(session)
        images._session = session  # type: ignore[attr-defined]  # kept alive with the view
        return images, images
    if kind == "layers":
        from app.analysis.layer_list import LayerList
        from fosp_core.analysis.layers import LayerStack

        layers = LayerList(LayerStack())
        return layers, layers.list
    if kind == "list":
        view = QListWidget()
        view.addItems([f"row {k}" for k in range(5)])
        return view, view
    table = QTableWidget(4, 2)
    for row in range(4):
        for column in range(2):
            table.setItem(row, column, QTableWidgetItem(f"cell {row},{column}"))
    return table, table


def _changed(before: QImage, after: QImage, points: list[QPoint]) -> list[QPoint]:
    """The `points` whose pixel focus changed."""
    return [q for q in points if after.pixel(q) != before.pixel(q)]


def _side(before: QImage, after: QImage, first: QPoint, inward: QPoint) -> float:
    """The contrast of a side's outermost changed pixel `first` or the next one `inward`, the stronger,
    on the pixel there before (the row's background)."""
    return max(contrast(QColor(after.pixel(q)), QColor(before.pixel(q))) for q in (first, first + inward)
               if before.rect().contains(q))


def _indicator(before: QImage, after: QImage, rect: QRect) -> float:
    """The weakest side of the focus indicator drawn inside `rect` (`after` less `before`): on the row's
    middle line the leftmost and rightmost changed pixels, on the column half-way between them the
    topmost and bottommost (the indicator may be narrower than the row: a row's check box is left out
    of it); 0.0 where focus changed nothing there."""
    rect = rect.intersected(before.rect())
    row = _changed(before, after, [QPoint(x, rect.center().y()) for x in range(rect.left(), rect.right() + 1)])
    if not row:
        return 0.0
    middle = (row[0].x() + row[-1].x()) // 2
    column = _changed(before, after, [QPoint(middle, y) for y in range(rect.top(), rect.bottom() + 1)])
    if not column:
        return 0.0
    sides = [(row[0], QPoint(1, 0)), (row[-1], QPoint(-1, 0)), (column[0], QPoint(0, 1)), (column[-1], QPoint(0, -1))]
    return min(_side(before, after, first, inward) for first, inward in sides)


def rendered_item_focus(qtbot, style: QStyle, kind: str = "list", selected: bool = True) -> float:  # noqa: ANN001
    """The weakest side's contrast of the current item's focus indicator in a `kind` view ("list" or
    "table", "layers", "images") drawn with `style` against the row's background under it (0.0: focus drew nothing
    there); the current row `selected` or not."""
    form = QWidget()
    form.setPalette(dark_palette())
    form.setAutoFillBackground(True)
    layout = QVBoxLayout(form)
    shown, view = _view(kind)
    sink = QWidget(focusPolicy=Qt.FocusPolicy.StrongFocus)
    layout.addWidget(shown)
    layout.addWidget(sink)
    for widget in (form, *form.findChildren(QWidget)):
        widget.setStyle(style)
    form._style = style  # the widgets do not own it  # type: ignore[attr-defined]
    qtbot.addWidget(form)
    form.resize(320, 420)
    form.show()
    qtbot.waitExposed(form)
    index = view.model().index(1, 0)
    view.setCurrentIndex(index)
    if not selected:
        view.clearSelection()
    sink.setFocus(Qt.FocusReason.OtherFocusReason)
    QApplication.processEvents()
    rect = view.visualRect(index)
    before = view.viewport().grab().toImage()
    QWidget.setTabOrder(sink, view)
    QTest.keyClick(sink, Qt.Key.Key_Tab)  # a keyboard focus change, as a user's
    qtbot.waitUntil(view.hasFocus)
    QApplication.processEvents()
    assert view.currentIndex() == index and view.selectionModel().isSelected(index) == selected
    after = view.viewport().grab().toImage()
    return _indicator(before, after, rect)
