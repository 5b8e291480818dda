"""The contrast of a control's edge and of its keyboard focus ring, measured from rendered pixels: a form
of controls in the dark palette is drawn with a given style, and from the window pixel just outside the
middle of each side of a control (or of a check box's indicator) we walk inward to the first pixel that
differs: the edge. WCAG's contrast ratio of that edge (the stronger of its first two pixels, as an
antialiased 1 px line can straddle two) against the window pixel beside it, the weakest of the sides,
is the control's figure. Used by tests/gui/test_theme_contrast.py."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.theme import dark_palette

MARGIN = 4  # window pixels grabbed around a control
REACH = 6  # pixels walked inward from the window pixel outside a side


def luminance(color: QColor) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of `a` and `b` (1..21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _editable_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    return combo


def _default_button() -> QPushButton:
    button = QPushButton("Start")
    button.setDefault(True)
    return button


#: The controls whose edge is measured, by name (the kinds of the app's forms and dialogs).
CONTROLS: dict[str, Callable[[], QWidget]] = {
    "text field": lambda: QLineEdit("text"), "spin box": QSpinBox, "combo box": QComboBox,
    "editable combo box": _editable_combo, "check box": lambda: QCheckBox("Check"),
    "radio button": lambda: QRadioButton("Radio"), "button": lambda: QPushButton("Button"),
    "default button": _default_button, "tool button": lambda: QToolButton(text="Browse…"),
}
#: Controls whose keyboard focus indicator is measured.
FOCUSABLE = ["text field", "spin box", "editable combo box", "button", "tool button", "check box"]


def _form(qtbot, style: QStyle, palette: QPalette | None = None  # noqa: ANN001 - pytest-qt's qtbot
          ) -> tuple[QWidget, dict[str, QWidget]]:
    """A shown form of :data:`CONTROLS` in `palette` (the dark theme's by default), every widget drawn
    with `style`, the keyboard focus on a plain widget that draws nothing."""
    form = QWidget()
    form.setPalette(palette or dark_palette())
    form.setAutoFillBackground(True)
    layout = QVBoxLayout(form)
    layout.setSpacing(12)
    layout.setContentsMargins(12, 12, 12, 12)
    controls = {name: make() for name, make in CONTROLS.items()}
    sink = QWidget(focusPolicy=Qt.FocusPolicy.StrongFocus)
    for widget in (*controls.values(), sink):
        layout.addWidget(widget)
    for widget in (form, *form.findChildren(QWidget)):
        widget.setStyle(style)
    form._style = style  # the widgets do not own it  # type: ignore[attr-defined]
    qtbot.addWidget(form)
    form.resize(260, form.sizeHint().height())
    form.show()
    qtbot.waitExposed(form)
    sink.setFocus(Qt.FocusReason.OtherFocusReason)
    QApplication.processEvents()
    return form, controls


def _target(control: QWidget, focus: bool = False) -> QRect:
    """The rectangle whose edge shows: a check box's or radio button's indicator (its focus rectangle
    round the label, for `focus`), else the whole control; in the control's coordinates."""
    if not isinstance(control, (QCheckBox, QRadioButton)):
        return control.rect()
    option = QStyleOptionButton()
    option.initFrom(control)
    option.text = control.text()
    check = isinstance(control, QCheckBox)
    element = QStyle.SubElement
    which = ((element.SE_CheckBoxFocusRect if check else element.SE_RadioButtonFocusRect) if focus else
             (element.SE_CheckBoxIndicator if check else element.SE_RadioButtonIndicator))
    return control.style().subElementRect(which, option, control)


def _sides(image: QImage, rect: QRect) -> list[list[QColor]]:
    """Per side of `rect` (in `image`), the pixels from just outside its middle inward."""
    c = rect.center()
    starts = [(QPoint(rect.left() - 2, c.y()), QPoint(1, 0)), (QPoint(rect.right() + 2, c.y()), QPoint(-1, 0)),
              (QPoint(c.x(), rect.top() - 2), QPoint(0, 1)), (QPoint(c.x(), rect.bottom() + 2), QPoint(0, -1))]
    return [[QColor(image.pixel(start + step * i)) for i in range(REACH)] for start, step in starts]


def _edge(pixels: list[QColor], window: QColor) -> tuple[float, int] | None:
    """(contrast of the edge on the window pixel outside, how many pixels in a row reach 3:1), or None
    where the side does not start on the `window` colour (another control, a label lies there)."""
    outside = pixels[0]
    if contrast(outside, window) > 1.05:
        return None
    inner = pixels[1:]
    first = next((i for i, p in enumerate(inner) if p.rgb() != outside.rgb()), None)
    if first is None:
        return 0.0, 0
    ratio = max(contrast(p, outside) for p in inner[first:first + 2])
    width = 0
    for p in inner[first:]:
        if contrast(p, outside) < 3.0:
            break
        width += 1
    return ratio, width


def _grab(form: QWidget, control: QWidget, focus: bool) -> tuple[QImage, QRect]:
    """`form`'s pixels round `control`'s :func:`_target`, and the target's place in them."""
    rect = _target(control, focus)
    grab = QRect(control.mapTo(form, rect.topLeft()), rect.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    return form.grab(grab).toImage(), QRect(QPoint(MARGIN, MARGIN), rect.size())


def _measure(form: QWidget, control: QWidget) -> tuple[float, int]:
    """The weakest side's (contrast, width) of `control`'s edge as drawn now."""
    image, local = _grab(form, control, focus=False)
    window = form.palette().color(QPalette.ColorRole.Window)
    edges = [e for e in (_edge(side, window) for side in _sides(image, local)) if e is not None]
    assert len(edges) >= 2, f"{type(control).__name__}: fewer than two sides start on the window colour"
    return min(e[0] for e in edges), min(e[1] for e in edges)


def rendered_edges(qtbot, style: QStyle, palette: QPalette | None = None) -> dict[str, float]:  # noqa: ANN001
    """Each of :data:`CONTROLS`' edge contrast on the window, unfocused, drawn with `style` in `palette`
    (the dark theme's by default)."""
    form, controls = _form(qtbot, style, palette)
    return {name: round(_measure(form, control)[0], 2) for name, control in controls.items()}


def _ring(before: list[QColor], after: list[QColor]) -> tuple[float, int]:
    """(contrast on the window pixel outside, width) of the pixels on one side that focus changed."""
    changed = [i for i in range(1, len(after)) if after[i].rgb() != before[i].rgb()]
    if not changed:
        return 0.0, 0
    ratio = max(contrast(after[i], after[0]) for i in changed[:2])
    width = 0
    for i in range(changed[0], len(after)):
        if after[i].rgb() == before[i].rgb() or contrast(after[i], after[0]) < 3.0:
            break
        width += 1
    return ratio, width


def rendered_focus(qtbot, style: QStyle, name: str, palette: QPalette | None = None  # noqa: ANN001
                   ) -> tuple[float, int]:
    """(contrast on the window, width in pixels) of control `name`'s focus indicator, the pixels that
    change when Tab moves the keyboard focus onto it, drawn with `style` in `palette` (the dark theme's
    by default): the weakest side's."""
    form, controls = _form(qtbot, style, palette)
    window = form.palette().color(QPalette.ColorRole.Window)
    control, sink = controls[name], form.focusWidget()
    assert sink is not None and not isinstance(sink, tuple(type(c) for c in controls.values()))
    before, local = _grab(form, control, focus=True)
    QWidget.setTabOrder(sink, control)
    QTest.keyClick(sink, Qt.Key.Key_Tab)  # Qt marks a keyboard focus change: buttons show their focus
    qtbot.waitUntil(control.hasFocus)
    QApplication.processEvents()
    after, _ = _grab(form, control, focus=True)
    rings = [_ring(b, a) for b, a in zip(_sides(before, local), _sides(after, local), strict=True)
             if contrast(b[0], window) <= 1.05]
    assert len(rings) >= 2, f"{name}: fewer than two sides start on the window colour"
    return min(r[0] for r in rings), min(r[1] for r in rings)
