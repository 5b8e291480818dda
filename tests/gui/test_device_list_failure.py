"""A device list that cannot be made (torch fails to import, a CUDA probe raises) still ends the
Device box's "looking for devices…" line (app/analysis/inference_worker.py `list_devices`): the
inference thread answers with "Automatic" and the CPU, so the box does not say it is looking forever
and the Fine-tune dialog's box, which waits for the same answer, fills in too."""

from __future__ import annotations

import sys

import pytest

from app.analysis import inference_worker
from app.analysis.device_list import AUTOMATIC, DeviceList
from app.analysis.inference_worker import InferenceWorker
from app.analysis.model_panel import ModelPanel
from fosp_core.analysis.settings import AnalysisSettings


def _broken() -> list[tuple[str, str]]:
    raise OSError("libcudart.so: cannot open shared object file")


def test_a_failed_device_list_ends_the_looking_line(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(inference_worker, "device_choices", _broken)
    worker = InferenceWorker()
    try:
        with monkeypatch.context() as m:
            m.delitem(sys.modules, "torch", raising=False)  # listed later, on the thread
            panel = ModelPanel(AnalysisSettings(device="auto"), [AUTOMATIC])
            qtbot.addWidget(panel)
            devices = DeviceList(panel, worker)
        assert panel.device_combo.looking()
        with qtbot.waitSignal(worker.devices, timeout=10_000) as answer:
            devices.ask()
        assert answer.args[0] == devices.request
        assert [name for name, _label in answer.args[1]] == ["auto", "cpu"]
        assert not panel.device_combo.looking()
        assert panel.device_combo.currentData() == "auto"
    finally:
        worker.shutdown()
