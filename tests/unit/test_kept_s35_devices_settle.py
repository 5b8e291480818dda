"""Which kept Device and Precision the Model panel uses (app.analysis.panel_kept_devices), with no window."""

from __future__ import annotations

from app.analysis.panel_kept_devices import KeptDevice, read_kept, settle


def test_cpu_and_auto_at_fp32_are_used_at_once_a_gpu_waits_for_the_list() -> None:
    assert read_kept("cpu", "bf16") == ("cpu", "bf16", None)
    assert read_kept("auto", "fp32") == ("auto", "fp32", None)
    assert read_kept(None, None) == (None, None, None)
    assert read_kept("cuda:1", "fp16") == (None, None, KeptDevice("cuda:1", "fp16"))
    assert read_kept("auto", "bf16") == (None, None, KeptDevice("auto", "bf16"))  # bf16 on what auto picks


def test_values_that_are_no_device_or_precision_are_ignored() -> None:
    assert read_kept("quantum:3", "fp8") == (None, None, None)
    assert read_kept(7, ["x"]) == (None, None, None)
    assert read_kept("cpu", "fp16") == ("cpu", None, None)  # the CPU computes in fp32 or bf16


def test_a_gpu_here_is_used_as_kept_one_gone_falls_back_with_a_note() -> None:
    assert settle(KeptDevice("cuda:1", "fp16"), ["auto", "cuda:0", "cuda:1", "cpu"]) == ("cuda:1", "fp16", "")
    assert settle(KeptDevice("mps", "fp16"), ["auto", "mps", "cpu"]) == ("mps", "fp16", "")
    device, precision, note = settle(KeptDevice("cuda:1", "fp32"), ["auto", "cuda:0", "cpu"])
    assert (device, precision) == ("auto", "fp32") and "cuda:1" in note and "GPU cuda:0" in note, note
    device, precision, note = settle(KeptDevice("auto", "fp16"), ["auto", "cpu"])
    assert (device, precision) == ("auto", "fp32") and "fp16" in note and "CPU" in note, note
