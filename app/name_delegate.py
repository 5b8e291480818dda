"""How the image list draws a name: broken anywhere on the lines its row holds (:func:`name_lines`,
:class:`NameDelegate`). One middle-elided line made SMOKE5K's "1528757586_+00180.jpg" and
"1528758666_+01260.jpg" both "152875...80.jpg" in the 245 px list of a 1366 px window."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

__all__ = ["NameDelegate", "name_lines"]

_Index = QModelIndex | QPersistentModelIndex
_BREAKS = ("_", "-", " ", ".")


def name_lines(name: str, metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """`name` broken anywhere into lines at most `width` px wide (in `metrics`' font), at most
    `max_lines` of them, each broken after "_", "-", " " or "." where one is in its second half;
    one line when it fits. Too long for them, the last line holds the rest
    with its middle elided ("…"), so the start and the end (extension, frame number) stay."""
    if metrics.horizontalAdvance(name) <= width or max_lines <= 1:
        return [metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, width)]
    lines: list[str] = []
    rest = name
    while rest and len(lines) < max_lines - 1:
        count = 1
        while count < len(rest) and metrics.horizontalAdvance(rest[:count + 1]) <= width:
            count += 1
        if count < len(rest):  # break after a separator when one is in the line's second half
            cut = max(rest.rfind(sep, 0, count) for sep in _BREAKS) + 1
            count = cut if cut > count // 2 else count
        lines.append(rest[:count])
        rest = rest[count:]
    if rest:
        lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideMiddle, width))
    return lines


class NameDelegate(QStyledItemDelegate):
    """Draws a row as the style does (selection, thumbnail), then its name with :func:`name_lines`
    on the lines the row's text area holds. `last_lines`: the lines of the row painted last."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_lines: list[str] = []

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        name = opt.text
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        metrics = QFontMetrics(opt.font)
        rect = rect.adjusted(2, 0, -2, 0)  # the style's text margin
        self.last_lines = name_lines(name, metrics, rect.width(), max(1, rect.height() // metrics.lineSpacing()))
        state = opt.state
        group = (QPalette.ColorGroup.Disabled if not state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Normal if state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        role = QPalette.ColorRole.HighlightedText if state & QStyle.StateFlag.State_Selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, role))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), "\n".join(self.last_lines))
        painter.restore()
