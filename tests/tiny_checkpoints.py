"""A randomly initialised fosp-s saved as a real checkpoint, the model of each (seed, overrides) built once
a process (no tests here). Building fosp-s takes ~0.2 s and saving it ~0.08 s here: the ~140 tests that
wrote one paid the build at each call (`tests/gui/tiny_model.save_tiny_checkpoint`, whose behaviour this
keeps: the same file, torch's RNG left as after a build). Importing this module keeps torch to one thread,
as importing tests/gui/tiny_model does."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model

torch.set_num_threads(1)

__all__ = ["save_tiny_checkpoint"]

_KEPT = 4
"""The most models kept (~27 MB each; the oldest let go first)."""

_BUILT: dict[tuple[int, tuple[tuple[str, Any], ...]], tuple[torch.nn.Module, torch.Tensor]] = {}
"""(seed, overrides) -> (the model in eval mode, read only; torch's RNG state right after its build)."""


def save_tiny_checkpoint(path: Path, metadata: Mapping[str, str] | None = None, seed: int = 0,
                         **overrides: float) -> Path:
    """fosp-s from seed `seed` (with model `overrides`, e.g. tau=0.4) written to `path`, with `metadata`."""
    key = (seed, tuple(sorted(overrides.items())))
    torch.manual_seed(seed)
    if key not in _BUILT:
        if len(_BUILT) >= _KEPT:
            del _BUILT[next(iter(_BUILT))]
        model = build_model("fosp-s", **overrides).eval()
        _BUILT[key] = (model, torch.get_rng_state())
    model, rng = _BUILT[key]
    torch.set_rng_state(rng)
    return save_checkpoint(model, path, extra_metadata=metadata)
