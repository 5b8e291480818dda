"""What went wrong on a compute device during a run, told apart and said in words a user can act on.

* :func:`is_out_of_memory`: CUDA / MPS out of memory, and the CPU's (torch's allocator says "can't
  allocate memory", numpy raises ``MemoryError``), none of which says "out of memory" on the CPU.
* :func:`is_device_failure`: the GPU itself failed (a CUDA/cuDNN/cuBLAS driver error, a lost or
  reset device, "no CUDA GPUs are available" after it vanished): every later call on it fails too,
  so a run stops at the first one (:class:`DeviceFailedError`) instead of failing each image.
* :func:`explain`: one line for any inference error, with the way on.

torch is imported only inside the functions (this module is imported by the app at start-up).
"""

from __future__ import annotations

import sys

__all__ = ["DeviceFailedError", "explain", "is_device_failure", "is_out_of_memory"]

#: Lower-case fragments of torch's messages for a failed GPU (not out of memory).
_FAILURE_WORDS = (
    "cuda error", "cuda driver", "cudnn_status", "cublas_status", "cusolver_status", "cufft_internal_error",
    "device-side assert", "no cuda gpus are available", "cuda-capable device", "device lost",
    "unspecified launch failure", "illegal memory access", "ecc error", "mps backend failed", "command buffer",
)
_CPU_OOM_WORDS = ("can't allocate memory", "not enough memory", "cannot allocate memory")


class DeviceFailedError(RuntimeError):
    """The GPU stopped working during a run (its message says which device and what to do)."""


def is_out_of_memory(exc: BaseException) -> bool:
    """True for an out-of-memory error on any device (CUDA, MPS or the CPU)."""
    if isinstance(exc, MemoryError):
        return True
    torch = sys.modules.get("torch")  # not imported yet: no torch error can have been raised
    if torch is not None and isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    if isinstance(exc, RuntimeError):
        msg = str(exc).lower()
        return "out of memory" in msg or any(w in msg for w in _CPU_OOM_WORDS)
    return False


def is_device_failure(exc: BaseException) -> bool:
    """True when the GPU itself failed (a driver error, a lost device), not the model or the input."""
    if isinstance(exc, DeviceFailedError):
        return True
    if not isinstance(exc, RuntimeError) or is_out_of_memory(exc):
        return False
    import torch

    accelerator_error = getattr(torch, "AcceleratorError", None)  # torch >= 2.8: CUDA errors raise it
    if accelerator_error is not None and isinstance(exc, accelerator_error):
        return True
    msg = str(exc).lower()
    return any(w in msg for w in _FAILURE_WORDS)


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of `exc`'s message (torch adds lines of debugging advice), cut to `limit`."""
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0].strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def device_failed(device: object, exc: BaseException) -> DeviceFailedError:
    """The error for a GPU (`device`, e.g. cuda:0) that failed with `exc` during a run."""
    return DeviceFailedError(
        f"the GPU ({device}) stopped working during the run ({first_line(exc)}); the run was stopped. "
        "Run again on the CPU (the Model panel's Device, or --device cpu), or restart once the GPU works again")


def explain(exc: BaseException) -> str:
    """One user-facing line for an inference error, with the way on for out of memory."""
    if isinstance(exc, DeviceFailedError):
        return str(exc)
    if is_out_of_memory(exc):
        text = first_line(exc)
        if "on cpu" in text.lower() or not _names_a_gpu(exc):
            return (f"out of memory on the CPU ({text}); close other programs, or use a smaller "
                    "input or tiles for this image")
        return (f"out of memory on the GPU ({text}); run on the CPU (the Model panel's Device, or --device cpu), "
                "or use a smaller input or tiles")
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 600 else text[:600] + "…"


def _names_a_gpu(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, RuntimeError) and any(w in msg for w in ("cuda", "mps", "gpu"))
