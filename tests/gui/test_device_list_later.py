"""The Model panel's Device box when the devices come later (app/analysis/device_list.py): it lists
"Automatic" and a disabled "looking for devices…" line, keeps the device the settings hold (a saved
"cpu" or "cuda:0") chosen before and after the list comes, changes no setting when the list comes,
and the inference thread is asked once, whether the box's list opens or a model loads first."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

from app.analysis.device_combo import LOOKING_FOR_DEVICES
from app.analysis.device_list import AUTOMATIC, DeviceList
from app.analysis.model_panel import ModelPanel
from fosp_core.analysis.settings import AnalysisSettings

FOUND = [("auto", "Automatic"), ("cuda:0", "CUDA 0: Test GPU (8.0 GiB)"), ("cpu", "CPU (2 cores)")]


class _Worker(QObject):
    """The inference worker's device side: counts the lists asked for; answers when told."""

    devices = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def list_devices(self) -> int:
        self.asked += 1
        return 7


def _later(qtbot, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
           device: str) -> tuple[ModelPanel, _Worker, DeviceList, list[str]]:
    """A panel whose settings hold `device`, its device list made as where torch is not imported yet."""
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # (this test process has it; put back after)
    settings = AnalysisSettings(device=device)
    panel = ModelPanel(settings, [AUTOMATIC])
    qtbot.addWidget(panel)
    worker = _Worker()
    changed: list[str] = []
    settings.events.changed.connect(changed.append)
    devices = DeviceList(panel, worker)  # type: ignore[arg-type]
    monkeypatch.undo()
    return panel, worker, devices, changed


def _items(panel: ModelPanel) -> list[tuple[str, object, bool]]:
    combo = panel.device_combo
    return [(combo.itemText(i), combo.itemData(i), combo.model().item(i).isEnabled()) for i in range(combo.count())]


def test_the_saved_device_stays_chosen_while_the_list_comes(qtbot, monkeypatch) -> None:  # noqa: ANN001
    panel, worker, devices, changed = _later(qtbot, monkeypatch, "cuda:0")
    combo = panel.device_combo
    assert combo.currentData() == "cuda:0"  # listed by its name until the list comes
    assert _items(panel) == [("Automatic", "auto", True), ("cuda:0", "cuda:0", True), (LOOKING_FOR_DEVICES, None, False)]
    assert combo.looking()
    combo.showPopup()
    combo.hidePopup()
    devices.ask()  # a model load after the list opened: asked once
    assert worker.asked == 1
    worker.devices.emit(6, FOUND[:1])  # another request's answer: dropped
    assert combo.looking()
    worker.devices.emit(7, FOUND)
    assert _items(panel) == [(label, name, True) for name, label in FOUND]
    assert combo.currentData() == "cuda:0" and combo.currentText() == "CUDA 0: Test GPU (8.0 GiB)"
    assert changed == []  # the list coming changed no setting


def test_a_choice_made_while_looking_is_kept(qtbot, monkeypatch) -> None:  # noqa: ANN001
    panel, worker, devices, changed = _later(qtbot, monkeypatch, "auto")
    devices.ask()
    panel.settings.set_device("cpu")  # e.g. restored, or chosen in the Fine-tune dialog's panel
    assert panel.device_combo.currentData() == "cpu"
    worker.devices.emit(7, FOUND)
    assert panel.device_combo.currentData() == "cpu" and panel.device_combo.currentText() == "CPU (2 cores)"
    assert changed == ["device"] and worker.asked == 1


def test_with_torch_imported_the_list_is_made_at_once(qtbot) -> None:  # noqa: ANN001
    import torch  # noqa: F401 - the case of this test process, and of the app after a model load

    panel = ModelPanel(AnalysisSettings(), [AUTOMATIC])
    qtbot.addWidget(panel)
    worker = _Worker()
    DeviceList(panel, worker)  # type: ignore[arg-type]
    assert worker.asked == 0 and not panel.device_combo.looking()
    assert [panel.device_combo.itemData(i) for i in range(panel.device_combo.count())][:1] == ["auto"]
    assert "cpu" in [panel.device_combo.itemData(i) for i in range(panel.device_combo.count())]
