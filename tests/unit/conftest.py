"""Fixtures shared by the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def one_torch_thread():
    """Model tests run on one torch thread with seed 0 (stable timings and numbers on shared cores)."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="session")
def tiny_checkpoint_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One valid tiny fosp-s checkpoint (seed 0, `tests.odd_inputs.tiny_checkpoint`) for the whole
    run, built once (~1-2 s): read it, copy it, never write it."""
    import torch

    from tests.odd_inputs import tiny_checkpoint

    old = torch.get_num_threads()
    torch.set_num_threads(1)  # as one_torch_thread: several threads on 2 shared cores are slower
    try:
        return tiny_checkpoint(tmp_path_factory.mktemp("tiny-checkpoint") / "tiny.safetensors")
    finally:
        torch.set_num_threads(old)


