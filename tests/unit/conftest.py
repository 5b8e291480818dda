"""Fixtures shared by the unit tests."""

from __future__ import annotations

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
