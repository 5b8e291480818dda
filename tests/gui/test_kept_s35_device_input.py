"""The Model panel kept its threshold, regions, τ and checkpoint between sessions, not its Device, Precision
and Input: a user who picked "CPU" or 448 px got the defaults back at each start. They are kept in the same
settings now. A kept device that is not here now (CUDA kept, no GPU) falls back to what is here, saying so
once in the status bar, and the model loads on it with no error; a kept value that is no longer valid
(a hand-edited file, a choice this version does not offer) is ignored."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings

import app.analysis.device_list as device_list
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="the fallback needs a machine without CUDA")


@pytest.fixture
def chosen(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "models" / "mine.safetensors")


def _keep(settings_path: Path, **values: str) -> None:
    """Write `values` (analysis/<key>) as an earlier session left them."""
    store = QSettings(str(settings_path), QSettings.Format.IniFormat)
    for key, value in values.items():
        store.setValue(f"analysis/{key}", value)
    store.sync()


def test_device_precision_and_input_come_back_in_the_next_session(qtbot, make_window) -> None:  # noqa: ANN001
    first = make_window()
    s = first.analysis.settings
    s.set_device("cpu")
    s.set_precision("bf16")
    s.set_input("448")
    assert first.close()

    again = make_window()
    s, panel = again.analysis.settings, again.analysis.panel
    assert (s.device, s.precision, s.input) == ("cpu", "bf16", "448")
    assert (panel.device_combo.currentData(), panel.precision_combo.currentData(),
            panel.input_combo.currentData()) == ("cpu", "bf16", "448")
    assert again.statusBar().currentMessage() == ""


@no_gpu
def test_a_kept_gpu_not_here_falls_back_saying_so_and_the_model_loads(qtbot, make_window, settings_path,
                                                                      chosen) -> None:  # noqa: ANN001
    _keep(settings_path, checkpoint=str(chosen), device="cuda:0", precision="fp16")
    window = make_window()
    ctl = window.analysis
    note = window.statusBar().currentMessage()
    assert "cuda:0" in note and "not available" in note and "fp16" in note, note
    assert (ctl.settings.device, ctl.settings.precision) == ("auto", "fp32")
    qtbot.waitUntil(lambda: ctl.model is not None or bool(ctl.errors), timeout=WAIT_MS)
    assert ctl.errors == [] and ctl.model is not None and ctl.model.device == "cpu"
    kept = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert kept.value("analysis/device") == "cuda:0", "the GPU chosen was forgotten (it may be back next time)"


@no_gpu
def test_before_the_devices_are_known_the_kept_gpu_waits_for_them_and_loads_once(qtbot, make_window,  # noqa: ANN001
                                                                                  settings_path, chosen,
                                                                                  monkeypatch) -> None:
    """The app lists the devices on the inference thread (torch is not in yet as the window is built): the
    first load waits for that list, rather than failing on the GPU that is not here and loading again."""
    monkeypatch.setattr(device_list, "sys", types.SimpleNamespace(modules={}))  # as at the app's start
    _keep(settings_path, checkpoint=str(chosen), device="cuda:0")
    loads: list[str] = []
    from app.analysis.inference_worker import InferenceWorker

    real = InferenceWorker.load_model
    monkeypatch.setattr(InferenceWorker, "load_model",
                        lambda self, checkpoint, device, *a, **k: loads.append(device) or real(
                            self, checkpoint, device, *a, **k))
    window = make_window()
    ctl = window.analysis
    assert ctl.model_state == "loading"  # (the buttons wait for the model)
    qtbot.waitUntil(lambda: ctl.model is not None or bool(ctl.errors), timeout=WAIT_MS)
    assert ctl.errors == [] and loads == ["auto"], (ctl.errors, loads)
    note = window.statusBar().currentMessage()
    assert "cuda:0" in note and "not available" in note, note


def test_kept_values_no_longer_valid_are_ignored(qtbot, make_window, settings_path) -> None:  # noqa: ANN001
    _keep(settings_path, device="quantum:3", precision="fp8", input="999")
    window = make_window()
    s = window.analysis.settings
    assert (s.device, s.precision, s.input) == ("auto", "fp32", "default")
    _keep(settings_path, device="cpu", precision="fp16", input="tiled")  # fp16 is no CPU precision
    s = make_window().analysis.settings
    assert (s.device, s.precision, s.input) == ("cpu", "fp32", "tiled")
