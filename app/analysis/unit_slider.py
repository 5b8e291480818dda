"""A value in 0..1 set with a slider or typed in a spin box beside it (the Model panel's mask threshold
and Focus τ): :class:`UnitSlider`."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QMainWindow, QSlider, QWidget

from app.esc_keys_back import EscKeysBack

__all__ = ["UnitSlider"]

_STEPS = 1000  # slider resolution for 0..1 values


class UnitSlider(QWidget):
    """A slider and a spin box for one value in 0..1; emits `edited(value)` on user changes. The
    spin box hands the keys back to the window's central widget (the canvas) after a click on its
    arrows, Enter, or Esc (which drops what was typed), as the Annotate dock's brush-size box does:
    left in the box, Right moved its text cursor instead of showing the next image, B typed into it
    and Ctrl+Z undid its text instead of the last stroke."""

    edited = Signal(float)

    def __init__(self, name: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(name)  # what a screen reader says it sets (its row's label is no buddy)
        self.slider.setRange(0, _STEPS)
        self.slider.setToolTip(tip)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(0.0, 1.0)
        self.spin.setDecimals(3)
        self.spin.setSingleStep(0.01)
        self.spin.setToolTip(tip)
        self.spin.setAccessibleName(name)
        self.spin.setKeyboardTracking(False)  # a typed value counts on Enter, not digit by digit
        self.spin.editingFinished.connect(self._typed)
        # Esc drops what was typed (the slider's value shown again); Esc and a click on its arrows
        # hand the keys back
        self._esc_back = EscKeysBack(self.spin, self._give_keys_back, value=lambda: self.slider.value() / _STEPS,
                                     clicks=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(lambda v: self.edited.emit(v / _STEPS))
        self.spin.valueChanged.connect(self.edited.emit)

    def set_value(self, value: float) -> None:
        """Show `value` without emitting `edited`."""
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            self.slider.setValue(round(value * _STEPS))
            self.spin.setValue(value)

    def _give_keys_back(self) -> None:
        target = self.window().centralWidget() if isinstance(self.window(), QMainWindow) else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.spin.clearFocus()

    def _typed(self) -> None:
        """Enter in the box (not a click elsewhere, which also finishes the edit): keys back."""
        if self.spin.hasFocus():
            self._give_keys_back()
