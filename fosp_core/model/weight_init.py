"""Whether a model being built draws its random initial weights.

`fosp_core.checkpoint.load_checkpoint` builds a model and then loads every one of its weights strictly (a missing
key is refused), so SegFormer's initialisation (`mit._init_weights`: a truncated normal per linear layer, and the
decoder's He-normal convolutions) is drawn only to be overwritten: it was about 60 % of opening the default model
(`bench/bench_model_load.py`). Inside :func:`weights_to_be_loaded` the model's own initialisation is skipped.

The switch is per thread: a model built at the same time on another thread (a fine-tune starting while the app
opens a checkpoint) draws its initial weights as always."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["initialising", "weights_to_be_loaded"]

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
