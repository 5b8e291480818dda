"""Counts of the work the annotation mask's layer does: mask codes computed (``mask_layer.display_codes``)
and tiles downsampled (``mask_edge.block_max``), for tests that an operation recolours only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.annotation import mask_edge, mask_layer


def count_mask_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Wrap the two functions (undone at the test's end); the dict's "codes" and "block_max" count calls."""
    counts = {"codes": 0, "block_max": 0}

    def counted(name: str, function: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(mask_layer, "display_codes", counted("codes", mask_layer.display_codes))
    monkeypatch.setattr(mask_edge, "block_max", counted("block_max", mask_edge.block_max))
    return counts
