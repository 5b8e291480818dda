"""Where a running process's memory is: what `bench_huge_day.py` records after each image.

* `mallinfo2`: glibc's own account (ctypes): ``arena`` (bytes of the heaps got through brk/sbrk and the
  thread arenas), ``hblkhd`` (bytes in blocks mapped of their own, given back when freed),
  ``uordblks`` (in use in the heaps) and ``fordblks`` (free in the heaps: kept, not given back).
* `numpy_census`: every numpy array reachable from an object the collector tracks, by owner of its
  memory (a view counts for its base), the biggest first (``tests/reachable_arrays.py``).
* `qt_census`: live QImage / QPixmap wrappers, QPixmapCache's limit, QGraphicsPixmapItems.
* `tracemalloc` tops are taken by the bench itself (numpy reports its buffers to tracemalloc).

Run from the repository root as the benchmarks are; the bench puts ``bench/`` on ``sys.path``.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass

__all__ = ["Mallinfo", "mallinfo2", "numpy_census", "qt_census", "rss_mb"]


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]


@dataclass(frozen=True)
class Mallinfo:
    """glibc's malloc account, in MB (see module doc)."""

    arena: float
    hblkhd: float
    uordblks: float
    fordblks: float
    hblks: int


def mallinfo2() -> Mallinfo | None:
    """glibc's `mallinfo2()` (2.33+), None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        call = libc.mallinfo2
    except (OSError, AttributeError):
        return None
    call.restype = _Mallinfo2
    info = call()
    mb = 1 << 20
    return Mallinfo(info.arena / mb, info.hblkhd / mb, info.uordblks / mb, info.fordblks / mb, int(info.hblks))


def rss_mb() -> float:
    """This process's resident set (VmRSS) in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_guard(limit_mb: float) -> None:
    """End this process (exit 3) once its RSS passes `limit_mb`: the machine is shared."""

    def watch() -> None:
        while True:
            if rss_mb() > limit_mb:
                print(f"RSS over {limit_mb:.0f} MB: stopped", file=sys.stderr, flush=True)
                os._exit(3)
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()


def numpy_census(top: int = 8) -> tuple[float, list[str]]:
    """(MB of every array reachable from Python, counted once at the root of its bases
    (``tests.reachable_arrays.array_roots``), the `top` biggest as "shape dtype MB")."""
    from tests.reachable_arrays import array_roots

    owners = array_roots()
    total = sum(a.nbytes for a in owners) / (1 << 20)
    return total, [f"{tuple(a.shape)} {a.dtype} {a.nbytes / (1 << 20):.0f}" for a in owners[:top]]


def qt_census() -> dict[str, int]:
    """Live QImage and QPixmap wrappers (and their MB), QGraphicsPixmapItems, QPixmapCache's limit (KB)."""
    from PySide6.QtGui import QImage, QPixmap, QPixmapCache

    counts: Counter[str] = Counter()
    seen: set[int] = set()
    for obj in gc.get_objects():
        for ref in (obj, *gc.get_referents(obj)):
            if id(ref) in seen or not isinstance(ref, (QImage, QPixmap)):
                continue
            seen.add(id(ref))
            if isinstance(ref, QImage):
                counts["qimage"] += 1
                counts["qimage_mb"] += ref.sizeInBytes() >> 20
            else:
                counts["qpixmap"] += 1
                counts["qpixmap_mb"] += (ref.width() * ref.height() * 4) >> 20
    counts["pixmapcache_limit_kb"] = QPixmapCache.cacheLimit()
    return dict(counts)
