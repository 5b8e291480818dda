"""The Model panel's Device box: the devices listed, and a wish to see them when its list opens.

The window is built before torch is imported (about 1.5 s), so the devices (what ``fosp info`` finds:
CUDA GPUs, MPS, the CPU) may not be known yet; the box then lists "Automatic" and a disabled
:data:`LOOKING_FOR_DEVICES` line, and says when its list is about to open (`popup_wanted`) so that its
owner asks the inference thread for them (:class:`app.analysis.device_list.DeviceList`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

#: the list's last line while the devices are being looked for (disabled, never chosen)
LOOKING_FOR_DEVICES = "looking for devices…"


class DeviceCombo(QComboBox):
    """See the module docstring. Items: label shown, device name ("auto", "cpu", "cuda:0", ...) as data."""

    popup_wanted = Signal()

    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        self.popup_wanted.emit()
        super().showPopup()

    def fill(self, devices: list[tuple[str, str]], looking: bool = False) -> None:
        """Add `devices` ((name, label) pairs) after the items there; `looking`: then a disabled
        :data:`LOOKING_FOR_DEVICES` line."""
        for name, label in devices:
            self.addItem(label, name)
        if looking:
            self.addItem(LOOKING_FOR_DEVICES, None)
            model = self.model()
            if isinstance(model, QStandardItemModel):
                model.item(self.count() - 1).setEnabled(False)

    def looking(self) -> bool:
        """Whether the list holds the :data:`LOOKING_FOR_DEVICES` line."""
        return any(self.itemData(i) is None and self.itemText(i) == LOOKING_FOR_DEVICES for i in range(self.count()))
