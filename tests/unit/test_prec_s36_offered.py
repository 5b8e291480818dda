"""Which precisions the Model panel offers for a device (app.analysis.panel_precisions), with no window: the
rule agrees with what fosp_core's predictor accepts, and the CLI's refusal of fp16 on the CPU is unchanged
(`fosp predict --precision` / `fosp eval` users script it)."""

from __future__ import annotations

import pytest
import torch

from app.analysis.panel_kept_devices import cpu_note
from app.analysis.panel_precisions import COMPUTES_IN, offered, runs_on, unavailable_tip
from fosp_core.infer.devices import DeviceError, resolve_precision, supported_precisions


def test_the_rule_is_what_the_predictor_accepts() -> None:
    assert COMPUTES_IN["cpu"] == supported_precisions(torch.device("cpu")) == ("fp32", "bf16")
    assert COMPUTES_IN["mps"] == supported_precisions(torch.device("mps"))
    assert resolve_precision("bf16", torch.device("cpu")) == torch.bfloat16  # the CPU path takes bf16
    with pytest.raises(DeviceError, match=r"^precision fp16 is not supported on cpu \(supported: fp32, bf16\)$"):
        resolve_precision("fp16", torch.device("cpu"))  # the CLI's error, as it was


def test_which_device_runs_and_what_it_offers() -> None:
    assert runs_on("auto", None) is None and runs_on("auto", ["auto"]) is None  # not known yet: all offered
    assert offered(None) == ("fp32", "bf16", "fp16")
    assert runs_on("auto", ["auto", "cuda:0", "cpu"]) == "cuda:0" and offered("cuda:0") == ("fp32", "bf16", "fp16")
    assert runs_on("auto", ["auto", "cpu"]) == "cpu" and offered("cpu") == ("fp32", "bf16")
    assert runs_on("mps", None) == "mps" and offered("mps") == ("fp32", "fp16")
    tip = unavailable_tip("fp16", "cpu")
    assert tip == "fp16 is not available on the CPU (it needs a GPU: CUDA or Apple MPS): it computes in fp32 or bf16"
    assert unavailable_tip("bf16", "mps") == "bf16 is not available on the Apple GPU (MPS): it computes in fp32 or fp16"


def test_a_kept_cpu_at_fp16_is_noted() -> None:
    assert cpu_note("cpu", "fp16") == "Precision fp16 is not available on the CPU: using fp32."
    assert cpu_note("CPU ", "FP16") == "Precision fp16 is not available on the CPU: using fp32."
    assert cpu_note("cpu", "bf16") == cpu_note("auto", "fp16") == cpu_note("cpu", "fp8") == cpu_note(None, None) == ""
