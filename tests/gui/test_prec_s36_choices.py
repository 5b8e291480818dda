"""The Model panel's Precision box offered fp16 on a machine with no GPU (R2, session 36): picking it failed
the load ("precision fp16 is not supported on cpu") and the model stayed, but a user should not be offered
what cannot run here. The box now offers what the device chosen computes in (the CPU: fp32 and bf16, as
`fosp_core.infer.devices.supported_precisions` says; a CUDA GPU: fp16 too): the others are shown disabled
with a tooltip saying why. A precision picked on a GPU gives way to fp32, with one note in the status bar,
when the user picks the CPU (the load at fp16 there would fail); a kept "cpu" with fp16 does the same at the
next start, once. `fosp predict --precision fp16` on the CPU still fails as it did (CLI users script it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

from app.analysis.model_panel import ModelPanel
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="the CPU's choices need a machine without CUDA")
#: the devices a machine with one CUDA GPU lists (`device_choices`), faked: no GPU is here
WITH_GPU = [("auto", "Automatic"), ("cuda:0", "GPU 0"), ("cpu", "CPU")]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _enabled(combo: QComboBox) -> dict[str, bool]:
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    return {str(combo.itemData(i)): model.item(i).isEnabled() for i in range(combo.count())}


def _choose(combo: QComboBox, name: str) -> None:
    """Pick the item whose data is `name`, as a user's click on it does (currentIndexChanged)."""
    index = combo.findData(name)
    assert index >= 0, [combo.itemData(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def _demo_copy(demo_dir: Path, tmp_path: Path) -> list[Path]:
    root = tmp_path / "data"
    shutil.copytree(demo_dir / "JPEGImages", root / "JPEGImages")
    return sorted((root / "JPEGImages").glob("*.jpg"))[:2]


@no_gpu
def test_the_cpu_is_offered_fp32_and_bf16_not_fp16(qtbot, make_window, tiny, demo_dir, tmp_path) -> None:  # noqa: ANN001
    window, ctl = ready_window(qtbot, make_window, tiny, _demo_copy(demo_dir, tmp_path), tmp_path / "projects")
    panel = ctl.panel
    assert panel.listed_devices() is not None  # torch is in: the devices are known ("auto" runs on the CPU)
    for device in ("auto", "cpu"):
        _choose(panel.device_combo, device)
        assert _enabled(panel.precision_combo) == {"fp32": True, "bf16": True, "fp16": False}, device
        assert panel.offered_precisions() == ("fp32", "bf16")
        tip = panel.precision_combo.itemData(panel.precision_combo.findData("fp16"), Qt.ItemDataRole.ToolTipRole)
        assert "fp16 is not available on the CPU" in tip and "GPU" in tip and "fp32 or bf16" in tip, tip
        assert "On the CPU: fp32, bf16." in panel.precision_combo.toolTip()
    _choose(panel.precision_combo, "bf16")  # the CPU path computes in bf16: it loads and runs
    qtbot.waitUntil(lambda: ctl.model is not None and ctl._load_request is None, timeout=WAIT_MS)
    panel.precision_combo.setFocus()
    qtbot.keyClick(panel.precision_combo, Qt.Key.Key_Down)  # the keyboard passes over fp16 as the mouse does
    assert ctl.settings.precision == "bf16"
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.errors == [] and ctl.model.model_id.split("|")[1:3] == ["cpu", "bf16"], (ctl.errors,
                                                                                       ctl.model.model_id)


@no_gpu
def test_fp16_picked_on_a_gpu_gives_way_to_fp32_on_the_cpu_saying_so(qtbot, make_window, tiny, demo_dir,  # noqa: ANN001
                                                                     tmp_path) -> None:
    window = make_window()  # no model: the faked GPU is never loaded on
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl, panel = window.analysis, window.analysis.panel
    panel.set_devices(WITH_GPU)
    _choose(panel.device_combo, "cuda:0")
    assert _enabled(panel.precision_combo) == {"fp32": True, "bf16": True, "fp16": True}  # a GPU: all three
    _choose(panel.precision_combo, "fp16")
    _choose(panel.device_combo, "auto")  # a GPU is listed first: "auto" runs on it, fp16 stays
    assert ctl.settings.precision == "fp16" and window.statusBar().currentMessage() == ""
    _choose(panel.device_combo, "cpu")
    assert (ctl.settings.device, ctl.settings.precision) == ("cpu", "fp32")
    assert panel.precision_combo.currentData() == "fp32"
    assert window.statusBar().currentMessage() == "Precision fp16 is not available on the CPU: using fp32."
    assert _enabled(panel.precision_combo)["fp16"] is False
    ctl.worker.set_input_size(64)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(tiny)  # it loads on the CPU at fp32, no error
    window.open_paths(_demo_copy(demo_dir, tmp_path), remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.errors == [] and "|cpu|fp32|" in ctl.model.model_id, (ctl.errors, ctl.model.model_id)


@no_gpu
def test_a_kept_cpu_at_fp16_starts_at_fp32_saying_so_once(qtbot, make_window, settings_path) -> None:  # noqa: ANN001
    store = QSettings(str(settings_path), QSettings.Format.IniFormat)
    store.setValue("analysis/device", "cpu")
    store.setValue("analysis/precision", "fp16")  # picked where the panel offered it on the CPU
    store.sync()
    window = make_window()
    assert (window.analysis.settings.device, window.analysis.settings.precision) == ("cpu", "fp32")
    assert window.statusBar().currentMessage() == "Precision fp16 is not available on the CPU: using fp32."
    assert window.close()
    again = make_window()
    assert again.analysis.settings.precision == "fp32" and again.statusBar().currentMessage() == ""


def test_the_choices_follow_the_device_before_and_after_the_devices_are_known(qtbot) -> None:  # noqa: ANN001
    settings = AnalysisSettings()
    panel = ModelPanel(settings, [])
    qtbot.addWidget(panel)
    panel.set_devices([("auto", "Automatic")], looking=True)  # not known yet: "auto" may be a GPU
    assert all(_enabled(panel.precision_combo).values())
    _choose(panel.precision_combo, "fp16")
    panel.set_devices([("auto", "Automatic"), ("mps", "Apple GPU"), ("cpu", "CPU")])  # "auto" is MPS: fp16 stays
    assert settings.precision == "fp16" and panel.status_label.text() == ""
    assert _enabled(panel.precision_combo) == {"fp32": True, "bf16": False, "fp16": True}
    panel.set_devices([("auto", "Automatic"), ("cpu", "CPU")])  # known, and "auto" is the CPU: fp16 gives way
    assert settings.precision == "fp32"
    assert panel.status_label.text() == "Precision fp16 is not available on the CPU: using fp32."  # in no window
    _choose(panel.device_combo, "cpu")
    settings.set_precision("bf16")
    assert _enabled(panel.precision_combo) == {"fp32": True, "bf16": True, "fp16": False}
