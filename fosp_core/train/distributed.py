"""Process-group set-up for `torchrun` (DistributedDataParallel) and small helpers around it.

`fosp train` is the same command on one process and under torchrun: when the environment holds
`WORLD_SIZE` > 1 (torchrun sets `RANK`, `LOCAL_RANK`, `WORLD_SIZE`, `MASTER_ADDR`, `MASTER_PORT`),
the process group is initialised with NCCL on CUDA and gloo otherwise. Rank 0 alone logs, prints
and writes checkpoints; every rank trains on its own share of the samples.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    """Where this process sits: global rank, local rank (GPU index on its node) and world size."""

    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def from_env() -> DistInfo:
    """Read torchrun's environment (defaults: one process)."""
    return DistInfo(
        rank=int(os.environ.get("RANK", "0")),
        local_rank=int(os.environ.get("LOCAL_RANK", "0")),
        world_size=int(os.environ.get("WORLD_SIZE", "1")),
    )


def setup(device: torch.device, backend: str | None = None) -> DistInfo:
    """Initialise the default process group when running under torchrun (no-op for one process)."""
    info = from_env()
    if not info.enabled or (dist.is_available() and dist.is_initialized()):
        return info
    if not dist.is_available():
        raise RuntimeError("WORLD_SIZE > 1 but this torch build has no torch.distributed")
    if backend is None:
        # NCCL on CUDA where this build has it (Windows' and macOS's torch have none: gloo there)
        backend = "nccl" if device.type == "cuda" and dist.is_nccl_available() else "gloo"
    # rank 0 validates alone while the others wait: allow long validations (NCCL's default is 10 min)
    kwargs: dict[str, Any] = {"timeout": timedelta(minutes=60)}
    if backend == "nccl":
        kwargs["device_id"] = device
    dist.init_process_group(backend=backend, rank=info.rank, world_size=info.world_size, **kwargs)
    return info


def teardown() -> None:
    """Destroy the process group if one is active."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def barrier() -> None:
    if active():
        dist.barrier()


def gather_objects(obj: Any) -> list[Any]:
    """Every rank's `obj` as a list indexed by rank (a one-item list without a process group)."""
    if not active():
        return [obj]
    out: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(out, obj)
    return out


def broadcast_object(obj: Any, src: int = 0) -> Any:
    """Rank `src`'s `obj` on every rank."""
    if not active():
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=src)
    return box[0]


def all_mean(value: torch.Tensor) -> torch.Tensor:
    """Mean of a tensor over ranks (for logging)."""
    if not active():
        return value
    value = value.detach().clone()
    dist.all_reduce(value, op=dist.ReduceOp.SUM)
    return value / dist.get_world_size()


def broadcast_buffers(module: torch.nn.Module, src: int = 0) -> None:
    """Copy rank `src`'s buffers (BatchNorm running statistics) to every rank.

    DDP broadcasts buffers at the start of each forward, so after the last step each rank holds
    the statistics of its own batch; this makes the replicas identical again before saving.
    """
    if not active():
        return
    for buf in module.buffers():
        dist.broadcast(buf.data, src=src)
