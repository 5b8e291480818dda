"""The Model panel says what the model computes in, not only what its file stores: a checkpoint of
fp16 weights (the fine-tune's export, a default shipped in fp16) loads into an fp32 model
(`fosp_core.checkpoint`), so on the CPU it computes in fp32, and the panel said nothing of either.
The CPU case is a real load; the CUDA case fakes the device the worker reports (a string: the panel
is given it), as no GPU is here."""

from __future__ import annotations

from pathlib import Path

import torch

from app.analysis.compute_words import compute_text
from app.analysis.model_panel import ModelPanel
from fosp_core.analysis.settings import AnalysisSettings, read_model_info
from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model
from tests.gui.tiny_model import INPUT, WAIT_MS


def _half(path: Path) -> Path:
    torch.manual_seed(0)
    return save_checkpoint(build_model("fosp-s").eval(), path, dtype=torch.float16)


def test_fp16_weights_on_the_cpu_say_they_compute_in_fp32(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    checkpoint = _half(tmp_path / "half.safetensors")
    window = make_window()
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    ctl.settings.set_device("cpu")
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    qtbot.waitUntil(lambda: "computed" in ctl.panel.info_label.text(), timeout=WAIT_MS)
    assert "fp16 weights, computed in fp32 on CPU" in ctl.panel.info_label.text(), ctl.panel.info_label.text()
    assert "fp16 on a GPU only" in ctl.panel.precision_combo.toolTip()


def test_the_words_follow_precision_and_device(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    info = read_model_info(_half(tmp_path / "half.safetensors"))
    settings = AnalysisSettings()
    panel = ModelPanel(settings, [("auto", "Automatic"), ("cpu", "CPU")])
    qtbot.addWidget(panel)
    settings.set_precision("bf16")
    panel.set_model_info(info, "cpu")
    assert "fp16 weights, computed in mostly bf16 (autocast" in panel.info_label.text()
    settings.set_precision("fp16")
    panel.set_model_info(info, "cuda:0")  # faked: what the inference worker reports for a CUDA load
    assert "fp16 weights, computed in mostly fp16 (autocast: fp32 weights, fp16 convolutions) on GPU cuda:0" in \
        panel.info_label.text()
    settings.set_precision("fp32")
    panel.set_model_info(info, "cuda:0")
    assert "computed in fp32 (TF32 convolutions on Ampere or newer GPUs) on GPU cuda:0" in panel.info_label.text()
    panel.set_model_info(info, "")  # no device known: no line about it
    assert "computed" not in panel.info_label.text()
    assert compute_text("", "fp32", "mps") == "Computed in fp32 on Apple GPU (MPS)"
