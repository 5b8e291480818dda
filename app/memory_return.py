"""Freed image-sized arrays go back to the system (glibc's malloc), so the app's memory follows what
it holds over a day of images instead of the most it ever held.

Why. glibc serves an allocation of at least its mmap threshold (128 KiB at start) with a mapping of
its own, unmapped when freed. But the first time such a block is freed, glibc raises the threshold
to that block's size (up to 32 MiB) and its trim threshold to twice that: every later probability
map, Focus Map, display buffer and decoded image of that size comes from the heap (the main arena,
or the arena of the worker thread that allocated it), and a freed block there is only given back
when it lies at the top of its heap. Small objects allocated in between (the session's records,
Python objects) pin the rest, so freed maps stay resident. On an annotator's day
(``bench/bench_all_day.py``, 200 images at 640x480 with the tiny model) the process grew without
end while what it held stayed flat (the result cache full, the same documents kept).

The remedy: fix the mmap threshold at `MMAP_THRESHOLD` with ``mallopt`` once at start, which also
turns glibc's raising of it off: blocks of 1 MiB and more (a 512x512 float32 map is 1 MiB) are
always mapped and unmapped, smaller ones are left to the heap as before. The cost is the page
faults of each new large array, which the process paid anyway before its first large free.
Elsewhere than glibc (macOS, Windows, musl) nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

__all__ = ["MMAP_THRESHOLD", "return_large_blocks"]

#: Blocks at least this big are mapped of their own and given back when freed.
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def return_large_blocks(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at `threshold` bytes (see module doc); True when it was set, False
    where the C library is not glibc's (nothing changed)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl has mallopt as a no-op)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, int(threshold)))
