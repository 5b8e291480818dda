"""A randomly initialised fosp-s saved as a real checkpoint, for GUI tests that check the wiring of
model runs, not their accuracy (importing this module also keeps torch to one quiet thread)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import torch

from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
INPUT = 64  # tiny network input
WAIT_MS = 20000

__all__ = ["INPUT", "WAIT_MS", "save_tiny_checkpoint"]


def save_tiny_checkpoint(path: Path, metadata: Mapping[str, str] | None = None, seed: int = 0,
                         **overrides: float) -> Path:
    """fosp-s from seed `seed` (with model `overrides`, e.g. tau=0.4) written to `path`."""
    torch.manual_seed(seed)
    return save_checkpoint(build_model("fosp-s", **overrides).eval(), path, extra_metadata=metadata)
