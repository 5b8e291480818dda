"""The Model panel's Precision box: fp32, bf16 and fp16, those the device chosen does not compute in shown
disabled with a tooltip saying why (:mod:`app.analysis.panel_precisions` decides which)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

from app.analysis.compute_words import PRECISION_TIP
from app.analysis.panel_precisions import offered, unavailable_tip
from fosp_core.analysis.settings import device_words
from fosp_core.infer.devices import PRECISIONS  # no torch with it


class PrecisionCombo(QComboBox):
    """See the module docstring. Items: the precision's name, shown and as data."""

    def __init__(self) -> None:
        super().__init__()
        for name in PRECISIONS:
            self.addItem(name, name)
        self.setToolTip(PRECISION_TIP)

    def offer(self, device: str | None) -> None:
        """Enable the items `device` (where the model would run; None: not known, all enabled) computes in;
        the others are disabled (not to be picked; one set in code is still shown), each saying why."""
        usable, model = offered(device), self.model()
        if not isinstance(model, QStandardItemModel):
            return
        for index in range(self.count()):
            name, item = str(self.itemData(index)), model.item(index)
            fits = device is None or name in usable
            item.setEnabled(fits)
            item.setToolTip("" if fits else unavailable_tip(name, device or ""))
        where = f"\nOn the {device_words(device)}: {', '.join(usable)}." if device is not None else ""
        self.setToolTip(PRECISION_TIP + where)
