"""Windows: a multi-GPU ``torchrun ... fosp train`` asked for the NCCL backend whenever the device was CUDA,
and Windows' (and macOS's) torch builds have no NCCL: 'Distributed package doesn't have NCCL built in'. The
backend is now NCCL where this build has it, else gloo (which runs on CUDA tensors too). Simulated: a build
without NCCL, the process group's start recorded."""

from __future__ import annotations

import pytest
import torch

from fosp_core.train import distributed


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    backends: list[str] = []
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setattr(distributed.dist, "is_initialized", lambda: False)
    monkeypatch.setattr(distributed.dist, "init_process_group", lambda backend, **kw: backends.append(backend))
    return backends


@pytest.mark.parametrize(("nccl", "expected"), [(False, "gloo"), (True, "nccl")])
def test_the_backend_is_one_this_build_has(started: list[str], monkeypatch: pytest.MonkeyPatch, nccl: bool,
                                           expected: str) -> None:
    monkeypatch.setattr(distributed.dist, "is_nccl_available", lambda: nccl)
    distributed.setup(torch.device("cuda", 0))
    assert started == [expected]


def test_cpu_runs_use_gloo(started: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed.dist, "is_nccl_available", lambda: True)
    distributed.setup(torch.device("cpu"))
    assert started == ["gloo"]
