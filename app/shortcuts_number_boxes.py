"""A focused number box lets the window's shortcuts have the keys a number cannot hold.

A spin box claims every printable key for its line edit (Qt's ``ShortcutOverride``), so with the brush
radius box clicked into to type a size, or the Model panel's mask threshold or τ box reached with Tab,
B, E, [, ], M, R and Shift+A did nothing - silently - until Enter, Esc or a click on the image gave
the keys back. :class:`NumberBoxKeysPass` leaves such a key to the window (the override not claimed):
a key whose text is one printable character that is no part of a number (:func:`number_character`),
with no Ctrl, Alt or Meta (Ctrl+Z and the other editing keys stay the box's, as Backspace, Delete,
the arrows and Space do). Digits, the sign and the decimal point are still typed into the box, and the
box keeps the focus. A key no shortcut has is then typed into the box, which refuses it as before.
Watched on the window's focus widget only, or a floating dock's of the window, where its shortcuts work too
(:class:`app.focus_filter.FocusFilter`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateTimeEdit, QWidget

from app.focus_filter import FocusFilter

__all__ = ["NumberBoxKeysPass", "number_character"]

_EDITING = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
_NUMBER = frozenset("0123456789+-., ")  # digits, sign, both decimal points, a space as separator


def number_character(text: str, locale: QLocale | None = None) -> bool:
    """Whether `text` (one character) can be part of a number typed into a spin box: a digit, a sign,
    a decimal point or group separator (both "." and ",", and `locale`'s), a space (a spin box takes no
    exponent: E is the Eraser's)."""
    marks = set(_NUMBER)
    if locale is not None:
        marks.update(locale.decimalPoint() + locale.groupSeparator() + locale.negativeSign() + locale.positiveSign())
    return text in marks or text.isdigit()


def _passes(watched: QObject, event: QKeyEvent) -> bool:
    """A key `watched` (a focused number box) claims that no number holds: the window's shortcut's."""
    if not isinstance(watched, QAbstractSpinBox) or isinstance(watched, QDateTimeEdit) or not watched.hasFocus():
        return False
    if watched.specialValueText():  # its words ("no limit") may be typed: every key stays the box's
        return False
    text = event.text()
    if len(text) != 1 or not text.isprintable() or event.modifiers() & _EDITING:
        return False
    return not number_character(text, watched.locale())


class NumberBoxKeysPass(QObject):
    """Leaves a focused number box's non-number keys to the shortcuts of `anchor`'s window (see module)."""

    def __init__(self, anchor: QWidget) -> None:
        super().__init__(anchor)
        self.focus_filter = FocusFilter(anchor, self, floating_docks=True)  # a floated Annotate dock's boxes too
        self.focus_filter.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and _passes(watched, event):
            event.ignore()  # not the box's: Qt looks for a shortcut, and types it into the box if none has it
            return True
        return False
