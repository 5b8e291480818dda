"""Which devices the Fine-tune dialog's Device box lists, without listing them on the GUI thread.

Listing them (`fosp_core.analysis.settings.device_choices`) imports torch, about 1.5 s the first time
when no model was loaded yet. The Model panel's box gets its list once, from the inference thread
(`app.analysis.device_list.DeviceList`): the dialog takes that list when the panel has it, else it
shows "looking for devices…", asks the panel's lister (once, for both) and fills in when the list comes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.analysis.device_combo import DeviceCombo
from app.analysis.device_list import AUTOMATIC

__all__ = ["DeviceFollower", "panel_devices"]

Devices = list[tuple[str, str]]


def panel_devices(combo: DeviceCombo) -> Devices | None:
    """The devices the Model panel's box lists ((name, label) pairs), None while it looks for them.
    A device listed by its name only (a saved one this machine does not have) is left out."""
    if combo.looking():
        return None
    items = ((combo.itemData(i), combo.itemText(i)) for i in range(combo.count()))
    return [(str(name), label) for name, label in items if name is not None and label != name]


class DeviceFollower(QObject):
    """Gives `show(devices, looking)` the panel's list now, or "Automatic" (looking) now and the
    list when the inference thread has made it. `analysis`: the window's analysis controller
    (`.panel.device_combo`, `.devices`: its DeviceList, `.worker.devices`)."""

    def __init__(self, analysis: Any, show: Callable[[Devices, bool], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show = show
        self.lister = getattr(analysis, "devices", None)
        panel = getattr(getattr(analysis, "panel", None), "device_combo", None)
        found = panel_devices(panel) if isinstance(panel, DeviceCombo) else None
        if found is None and self.lister is None:  # no panel to follow (a stand-in window)
            found = _at_once() or [AUTOMATIC]
        if found is not None:
            show(found, False)
            return
        show([AUTOMATIC], True)
        analysis.worker.devices.connect(self._found)
        self.lister.ask()  # once: the panel's list and this one

    def _found(self, request_id: int, devices: Devices) -> None:
        if self.lister is not None and request_id == self.lister.request:
            self.show(list(devices), False)


def _at_once() -> Devices | None:
    """The devices listed here, where torch is in already (no import on this thread), else None."""
    if "torch" not in sys.modules:
        return None
    from fosp_core.analysis.settings import device_choices

    return device_choices()
