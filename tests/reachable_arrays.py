"""Every numpy array a Python object refers to, and the bytes under them: what a test asserts stays flat
while a window goes through images (``tests/gui/test_huge_walk_released.py``) and what
``bench/memory_census.py`` reports.

Arrays are not tracked by the collector, nor are containers holding only untracked objects (a
dataclass's dict of arrays), so the walk starts at every tracked object and goes down through untracked
dicts, tuples and lists; a view counts for the array (or foreign buffer: a torch tensor's) under it.
"""

from __future__ import annotations

import gc

import numpy as np

__all__ = ["array_roots", "reachable_arrays"]


def reachable_arrays() -> list[np.ndarray]:
    """Every ndarray reachable from an object the collector tracks, with the bases of views."""
    gc.collect()
    found: dict[int, np.ndarray] = {}
    seen: set[int] = set()
    stack = list(gc.get_objects())
    while stack:
        obj = stack.pop()
        for ref in gc.get_referents(obj):
            if id(ref) in seen:
                continue
            if isinstance(ref, np.ndarray):
                while isinstance(ref, np.ndarray) and id(ref) not in seen:
                    seen.add(id(ref))
                    found[id(ref)] = ref
                    ref = ref.base
            elif not gc.is_tracked(ref) and isinstance(ref, (dict, tuple, list)):
                seen.add(id(ref))
                stack.append(ref)
    return list(found.values())


def array_roots() -> list[np.ndarray]:
    """The reachable arrays at the root of their chain of bases (owning their memory, or over memory
    not numpy's), one per data address (the biggest), the biggest first: their nbytes add up to the
    memory Python's objects hold in arrays."""
    roots: dict[int, np.ndarray] = {}
    for array in reachable_arrays():
        if not isinstance(array.base, np.ndarray):
            address = array.__array_interface__["data"][0]
            if address not in roots or array.nbytes > roots[address].nbytes:
                roots[address] = array
    return sorted(roots.values(), key=lambda a: a.nbytes, reverse=True)
