"""`ProfileCache` keys its entries by the map's address: a new map at the address of one let go is
the newest entry, not the dead map's place in the order (it was evicted before older maps:
test_prediction_profile.py::test_the_cache_answers_only_for_the_map_it_prepared failed when the
allocator happened to give `b` the address of a dead map prepared earlier)."""

from __future__ import annotations

import weakref
from concurrent.futures import Future

import numpy as np

from fosp_core.annotation.prediction_profile import ProfileCache


class Gone:
    """Something weakly referenced and already let go (a dead map's entry)."""


def test_a_map_at_a_dead_maps_address_is_the_newest() -> None:
    cache = ProfileCache(size=2)
    rng = np.random.default_rng(3)
    a, b, c = (rng.random((4, 5), np.float32) for _ in range(3))
    dead = Gone()
    ref = weakref.ref(dead)
    del dead
    cache._entries[id(b)] = (ref, Future())  # a map prepared earlier, let go, `b` now at its address
    for m in (a, b, c):
        cache.prepare(m)
    assert cache.ready(a) is None  # the oldest of the three let go
    assert cache.ready(b) is not None and cache.ready(c) is not None
