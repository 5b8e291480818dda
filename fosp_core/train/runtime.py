"""Where and how a training run computes: its device (`pick_device`), its precision
(`pick_precision`) and the autocast that applies it (`autocast`), and its seeds (`seed_everything`)."""

from __future__ import annotations

import contextlib

import torch

from fosp_core.infer.devices import cpu_has_fast_bf16
from fosp_core.train.config import ConfigError

__all__ = ["autocast", "pick_device", "pick_precision", "seed_everything"]


def pick_device(spec: str, local_rank: int = 0, *, key: str = "train.device",
                error: type[ValueError] = ConfigError) -> torch.device:
    """"auto" -> CUDA (this process's GPU) when present, else MPS, else CPU; or the named device.
    A device that is none or that this machine lacks raises `error` naming the setting `key`."""
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", local_rank)
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        dev = torch.device(spec)
    except RuntimeError as exc:
        raise error(f"{key} = {spec!r} is not a device: use 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'") from exc
    if dev.type == "cuda" and dev.index is None:
        dev = torch.device("cuda", local_rank)
    problem = _unavailable(dev, spec)
    if problem:
        raise error(f"{key} = {spec!r}: {problem}")
    return dev


def _unavailable(dev: torch.device, spec: str) -> str | None:
    """Why this machine lacks the device asked for; None when it has it."""
    if dev.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if not count:
            return "this machine has no CUDA GPU that torch can use; use 'auto' or 'cpu'"
        if dev.index is not None and dev.index >= count:
            return f"this machine has {count} CUDA GPU(s) (cuda:0..cuda:{count - 1})"
    mps = getattr(torch.backends, "mps", None)
    if dev.type == "mps" and not (mps is not None and mps.is_available()):
        return "MPS (Apple GPU) is not available here; use 'auto' or 'cpu'"
    return None


def pick_precision(spec: str, device: torch.device) -> str:
    """"auto" -> bf16 on CUDA GPUs that support it, fp16 on older GPUs, bf16 on CPUs with AMX
    bf16 tiles (Sapphire Rapids and later: a training step of fosp-s runs ~1.6x faster than fp32),
    fp32 elsewhere."""
    if spec != "auto":
        return spec
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    if device.type == "cpu" and cpu_has_fast_bf16():
        return "bf16"
    return "fp32"


def autocast(precision: str, device: torch.device) -> contextlib.AbstractContextManager:
    """The autocast of a precision picked by `pick_precision` on `device`: none for fp32, else
    bf16 or fp16 autocast of the device's type."""
    if precision == "fp32":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast(device.type, dtype=dtype)


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global random generators."""
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
