"""The undo history's patch storage before session 24's U2 (e7bc959), for benchmarks that compare:
zlib level 1 of the bytes of every patch of 2048 pixels or more, the rest as raw bytes.

    with zlib_history():  # fosp_core.annotation.history stores and reads patches as before
        ...
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from fosp_core.annotation import history

__all__ = ["zlib_history", "zlib_pack", "zlib_unpack"]


def zlib_pack(values: np.ndarray) -> bytes:
    """The history's ``_pack`` before: zlib level 1 of the bytes from 2048 pixels on."""
    raw = np.ascontiguousarray(values, dtype=np.uint8).tobytes()
    return zlib.compress(raw, 1) if len(raw) >= history.COMPRESS_MIN_BYTES else raw


def zlib_unpack(data: bytes, shape: tuple[int, int]) -> np.ndarray:
    """The history's ``_unpack`` before."""
    size = shape[0] * shape[1]
    raw = data if size < history.COMPRESS_MIN_BYTES else zlib.decompress(data)
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape)


@contextmanager
def zlib_history() -> Iterator[None]:
    """Patches stored and read as before for the code run inside (steps made inside are undone
    inside too: the two storages do not read each other's patches)."""
    packed = history._pack, history._unpack
    history._pack, history._unpack = zlib_pack, zlib_unpack
    try:
        yield
    finally:
        history._pack, history._unpack = packed
