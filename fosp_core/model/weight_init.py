"""Whether a model being built draws its random initial weights.

`fosp_core.checkpoint.load_checkpoint` builds a model and then loads every one of its weights strictly (a missing
key is refused), so SegFormer's initialisation (`mit._init_weights`: a truncated normal per linear layer, and the
decoder's He-normal convolutions) is drawn only to be overwritten: it was about 60 % of opening the default model
(`bench/bench_model_load.py`). Inside :func:`weights_to_be_loaded` the model's own initialisation is skipped.

The switch is per thread: a model built at the same time on another thread (a fine-tune starting while the app
opens a checkpoint) draws its initial weights as always.

Skipping the model's own initialisation still left every nn.Linear / nn.Conv2d / norm allocating its weights and
drawing PyTorch's default (`reset_parameters`) before the load overwrote them: about 40 % of opening the default model
(session 37). `load_checkpoint` therefore also builds :func:`on_meta_device` (no memory, no draw) and assigns the
file's tensors (`load_state_dict(assign=True)`, torch >= 2.1); :func:`set_constants` then gives the buffers that
checkpoints do not hold (``persistent=False``, e.g. the pixel mean and std) their values."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn

__all__ = ["initialising", "on_meta_device", "set_constants", "weights_to_be_loaded"]

_local = threading.local()


@contextmanager
def weights_to_be_loaded() -> Iterator[None]:
    """Models built in this block, on this thread, skip their own random initialisation: the caller loads every
    weight strictly afterwards."""
    before = getattr(_local, "skip", False)
    _local.skip = True
    try:
        yield
    finally:
        _local.skip = before


def initialising() -> bool:
    """False inside :func:`weights_to_be_loaded` on this thread: a model's own initialisation is not drawn."""
    return not getattr(_local, "skip", False)


@contextmanager
def on_meta_device() -> Iterator[None]:
    """Tensors made in this block without a device, on this thread, are on the meta device: shapes and dtypes,
    no memory, no random draw (``torch.device("meta")``: a function mode, on this thread's stack only; a model built
    meanwhile on another thread is real). The model built here holds nothing until its weights are assigned
    (`load_state_dict(..., assign=True)`) and :func:`set_constants` is called."""
    with torch.device("meta"):
        yield


def set_constants(model: nn.Module, device: torch.device | str | None = None) -> None:
    """After a build :func:`on_meta_device` and a strict load with ``assign=True``: each module whose buffers are
    still on the meta device (those kept out of checkpoints) sets them with its ``reset_constants(device)``, on
    ``device`` (None: where the model's first parameter is, else the CPU). RuntimeError naming any tensor a
    module cannot set, so that a buffer added later without ``reset_constants`` is never left empty."""
    if device is None:
        device = next((p.device for p in model.parameters() if not p.is_meta), torch.device("cpu"))
    for module in model.modules():
        if any(b is not None and b.is_meta for b in module._buffers.values()) and hasattr(module, "reset_constants"):
            module.reset_constants(device)
    left = [name for name, t in (*model.named_parameters(), *model.named_buffers()) if t.is_meta]
    if left:
        raise RuntimeError(
            f"left on the meta device after loading: {', '.join(left)} (a buffer kept out of checkpoints needs its "
            "module's reset_constants(device))"
        )
