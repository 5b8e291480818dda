"""What the Model panel says of the numbers its model computes with (no Qt): the precision the file
stores its weights in and the precision the device computes in, which differ.

What `fosp_core` does (read from its code): every checkpoint loads into an fp32 model
(`fosp_core.checkpoint`: "fp16 files load into fp32 models"), so fp16 weights compute in fp32 unless
the Precision setting asks for autocast (`fosp_core.infer.devices.resolve_precision`): on the CPU
fp32 or bf16 (autocast; the CPU has no fp16 there: choosing it fails to load and says so), on CUDA
fp32, fp16 or bf16 (where the GPU has it), on Apple MPS fp32 or fp16. Under autocast the parameters
stay fp32 and the convolutions and matrix products run in the lower precision. On CUDA, fp32
convolutions run in TF32 on Ampere or newer GPUs (torch's default `cudnn.allow_tf32`, which FoSp
leaves as it is).
"""

from __future__ import annotations

from fosp_core.analysis.settings import device_words

__all__ = ["PRECISION_TIP", "compute_text"]

PRECISION_TIP = ("What the model computes in. fp32 everywhere; bf16 on the CPU or a GPU that has it; fp16 on a GPU "
                 "only (CUDA, Apple MPS). bf16 and fp16 are autocast: the weights stay fp32 and the convolutions run "
                 "in the lower precision. A file's fp16 weights load as fp32: the model's line says both.")


def compute_text(weights: str, precision: str, device: str) -> str:
    """One line: `weights` (the file's precision, `ModelInfo.weights`; "" unknown), computed in
    `precision` ("fp32", "bf16", "fp16": the setting the model loaded with) on `device` (where it runs:
    "cpu", "cuda:0", "mps", named by `device_words`). E.g. "fp16 weights, computed in fp32 on CPU"."""
    kind = device.split(":")[0]
    where = device_words(device) if device else "its device"
    p = (precision or "fp32").lower()
    if p == "fp32":
        computed = "fp32 (TF32 convolutions on Ampere or newer GPUs)" if kind == "cuda" else "fp32"
    else:
        computed = f"mostly {p} (autocast: fp32 weights, {p} convolutions)"
    stored = {"": "", "mixed": "mixed-precision weights, "}.get(weights, f"{weights} weights, ")
    line = f"{stored}computed in {computed} on {where}"
    return line[0].upper() + line[1:] if not stored else line
