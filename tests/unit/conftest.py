"""Fixtures shared by the unit tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves


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


@pytest.fixture()
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every background mask PNG write (`fosp_core.annotation.mask_saves`) held until the event is
    set (set again at the end)."""
    release, real = threading.Event(), mask_saves.encode_mask_png

    def slow(mask: np.ndarray, compress_level: int = 6) -> bytes:
        assert release.wait(60)
        return real(mask, compress_level)

    monkeypatch.setattr(mask_saves, "encode_mask_png", slow)
    yield release
    release.set()
