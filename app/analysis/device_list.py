"""When the Model panel's Device box learns which devices there are.

Listing them (``fosp info``'s probe, :func:`fosp_core.analysis.settings.device_choices`) imports
torch, about 1.5 s, and the window must not wait for it before it shows. Where torch is in already
(a model loaded in this process before, or a caller that imported it), the list is made at once, as
it always was. Otherwise the box lists "Automatic" and "looking for devices…", and the inference
thread makes the list the first time a model is loaded (just before that load, which imports torch
there anyway) or the box's list is opened, whichever comes first; the box fills in when it comes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from fosp_core.analysis.settings import device_choices

if TYPE_CHECKING:
    from app.analysis.inference_worker import InferenceWorker
    from app.analysis.model_panel import ModelPanel

#: What the box lists before the devices are known (device_choices() lists it first too).
AUTOMATIC: tuple[str, str] = ("auto", "Automatic")


class DeviceList(QObject):
    """See the module docstring. `devices` given: listed as they are, nothing looked for."""

    def __init__(self, panel: ModelPanel, worker: InferenceWorker,
                 devices: list[tuple[str, str]] | None = None) -> None:
        super().__init__(panel)
        self.panel = panel
        self.worker = worker
        self.asked = False  # the inference thread was asked (or the list was made here)
        self.request: int | None = None
        if devices is None and "torch" in sys.modules:
            devices = device_choices()
        if devices is not None:
            self.asked = True
            panel.set_devices(devices)
            return
        panel.set_devices([AUTOMATIC], looking=True)
        worker.devices.connect(self._found)
        panel.device_combo.popup_wanted.connect(self.ask)

    def ask(self) -> None:
        """Have the inference thread list the devices, once (later calls do nothing)."""
        if not self.asked:
            self.asked = True
            self.request = self.worker.list_devices()

    def _found(self, request_id: int, devices: list[tuple[str, str]]) -> None:
        if request_id == self.request:
            self.panel.set_devices(devices)
