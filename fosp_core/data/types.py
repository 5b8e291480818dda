"""The one sample type every dataset reader yields and every writer takes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar, overload

import numpy as np

BACKGROUND = 0
SMOKE = 1
IGNORE = 255


@dataclass
class Sample:
    """One image and, when labelled, its mask.

    image: RGB uint8, HxWx3.
    mask: uint8 HxW with 0 background, 1 smoke, 255 ignore; None for unlabelled images.
    id: dataset-unique id (file stem for SmokeSeg/SMOKE5K).
    source: path of the image file it came from (None for generated samples).
    meta: free-form extras (e.g. soft alpha of a synthetic sample).
    """

    id: str
    image: np.ndarray
    mask: np.ndarray | None = None
    source: Path | None = None
    meta: dict = field(default_factory=dict)

    def smoke_ratio(self) -> float:
        """delta: share of labelled smoke pixels among all pixels (ignore counts as not smoke)."""
        if self.mask is None:
            return 0.0
        return float(np.count_nonzero(self.mask == SMOKE)) / float(self.mask.size)


K = TypeVar("K")


class LazySamples(Sequence[Sample], Generic[K]):
    """A sequence of Samples made one at a time from `keys` by `load` (memory stays one sample).

    Supports len, indexing and slicing (a slice returns a list). Writers such as
    `fosp_core.data.smokeseg.write_smokeseg` take it wherever they take a Dataset.
    """

    def __init__(self, keys: Sequence[K], load: Callable[[K], Sample]) -> None:
        self.keys = list(keys)
        self._load = load

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Sample: ...
    @overload
    def __getitem__(self, index: slice) -> list[Sample]: ...

    def __getitem__(self, index: int | slice) -> Sample | list[Sample]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._load(self.keys[index])
