"""Compute devices and numeric precision for inference.

`resolve_device("auto")` picks CUDA, then Apple MPS, then the CPU; an explicit name ("cpu",
"cuda", "cuda:1", "mps") is checked and refused with a clear :class:`DeviceError` when this machine
or this torch build cannot use it. `resolve_precision` maps "fp32" / "bf16" / "fp16" to the
autocast dtype supported on that device (None = plain fp32, no autocast).

torch is imported by each function when it is called, not with the module: the app's Model panel
reads :data:`PRECISIONS` while its window is built, and the window must not wait for torch (about
1.5 s) before it first shows; the model is loaded, and torch imported, on the inference worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from fosp_core.infer.device_errors import is_out_of_memory as is_out_of_memory  # one rule, here too

if TYPE_CHECKING:
    import torch

PRECISIONS: tuple[str, ...] = ("fp32", "bf16", "fp16")


class DeviceError(ValueError):
    """A requested device or precision cannot be used here (the message says why)."""


def mps_available() -> bool:
    """True where this torch build and machine offer Apple MPS."""
    import torch

    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def resolve_device(spec: str | torch.device = "auto") -> torch.device:
    """`auto` -> cuda:0 if available, else mps, else cpu. Explicit names are validated.

    Raises:
        DeviceError: unknown name, or the device is not available in this process.
    """
    import torch

    if isinstance(spec, torch.device):
        spec = str(spec)
    name = (spec or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", torch.cuda.current_device())
        if mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "gpu":
        name = "cuda"
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise DeviceError(f"unknown device {spec!r} (use auto, cpu, cuda, cuda:N or mps)") from exc
    if device.type == "cpu":
        return torch.device("cpu")
    if device.type == "cuda":
        if not torch.cuda.is_available():
            build = "this torch build has no CUDA" if torch.version.cuda is None else "no CUDA GPU found"
            raise DeviceError(f"device {spec!r} is not available: {build}{_best_present()}")
        index = 0 if device.index is None else device.index
        if index >= torch.cuda.device_count():
            raise DeviceError(f"device {spec!r} is not available: only {torch.cuda.device_count()} CUDA GPU(s)")
        return torch.device("cuda", index)
    if device.type == "mps":
        if not mps_available():
            raise DeviceError(f"device {spec!r} is not available: Apple MPS not present in this build/machine"
                              f"{_best_present()}")
        return torch.device("mps")
    raise DeviceError(f"unsupported device {spec!r} (use auto, cpu, cuda, cuda:N or mps)")


def _best_present() -> str:
    """What 'auto' would pick, for the message of a device that is not there."""
    return f"; 'auto' uses the best device present ({resolve_device('auto').type})"


def is_accelerator(device: torch.device) -> bool:
    """True for GPU-like devices (CUDA, MPS) where out-of-memory falls back to the CPU."""
    return device.type in ("cuda", "mps")


def supported_precisions(device: torch.device) -> tuple[str, ...]:
    """Precisions this device can run with autocast, fp32 first."""
    import torch

    if device.type == "cuda":
        out = ["fp32", "fp16"]
        if torch.cuda.is_bf16_supported():
            out.insert(1, "bf16")
        return tuple(out)
    if device.type == "mps":
        return ("fp32", "fp16")
    return ("fp32", "bf16")  # CPU autocast supports bfloat16 only


def resolve_precision(precision: str, device: torch.device) -> torch.dtype | None:
    """Autocast dtype for `precision` on `device`; None means plain fp32.

    Raises:
        DeviceError: unknown precision or not supported on this device.
    """
    import torch

    p = (precision or "fp32").lower()
    aliases = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16"}
    p = aliases.get(p, p)
    if p not in PRECISIONS:
        raise DeviceError(f"unknown precision {precision!r} (use {', '.join(PRECISIONS)})")
    if p not in supported_precisions(device):
        raise DeviceError(
            f"precision {p} is not supported on {device} (supported: {', '.join(supported_precisions(device))})"
        )
    return {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[p]


@contextlib.contextmanager
def autocast(device: torch.device, dtype: torch.dtype | None) -> Iterator[None]:
    """torch.autocast for `dtype` on `device`, or nothing when dtype is None (fp32)."""
    if dtype is None:
        yield
        return
    import torch

    with torch.autocast(device_type=device.type, dtype=dtype):
        yield


def release_memory(device: torch.device) -> None:
    """Return cached allocator blocks after an OOM so a retry has room."""
    import torch

    if device.type == "cuda" and torch.cuda.is_available():
        torch.cuda.empty_cache()
    elif device.type == "mps" and mps_available():
        with contextlib.suppress(Exception):
            torch.mps.empty_cache()


def use_channels_last(device: torch.device) -> bool:
    """channels_last pays off for the convolutions on CUDA (tensor cores); on CPU/MPS it does not
    help this transformer-heavy network, so the default is CUDA only."""
    return device.type == "cuda"


def cpu_has_fast_bf16() -> bool:
    """True on CPUs whose matrix units compute bf16 natively (Intel AMX: Xeon Sapphire Rapids and
    later); elsewhere CPU bf16 is emulated and slower than fp32."""
    import torch

    probe = getattr(torch.cpu, "_is_amx_tile_supported", None)
    try:
        return bool(probe()) if probe is not None else False
    except Exception:  # noqa: BLE001 - a private probe: treat any failure as "no"
        return False
