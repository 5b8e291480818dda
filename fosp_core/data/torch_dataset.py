"""torch Dataset wrapper around a `Dataset` + `TrainAugment` (the only torch import of fosp_core.data).

Reproducible whatever the number of workers: sample i of epoch e is augmented with
``numpy.random.default_rng([seed, e, i])``. Images come out as uint8 CHW RGB tensors (the model
normalises), masks as int64 HxW with 0/1/255.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset as TorchDataset

from fosp_core.data.augment import TrainAugment
from fosp_core.data.types import Sample

__all__ = ["AugmentedDataset", "worker_init_fn"]


class AugmentedDataset(TorchDataset):
    """Items {"image": uint8 3xHxW RGB, "mask": int64 HxW, "index": int} from a labelled dataset.

    dataset: any Sequence[Sample] with masks (e.g. `open_dataset(...)`).
    length: items per epoch (default len(dataset)); index i reads dataset[i % len(dataset)].
    """

    def __init__(self, dataset: Sequence[Sample], augment: TrainAugment | None = None, *, seed: int = 0,
                 length: int | None = None) -> None:
        if len(dataset) == 0:
            raise ValueError("empty dataset")
        self.dataset = dataset
        self.augment = augment or TrainAugment()
        self.seed = int(seed)
        self.epoch = 0
        self.length = int(length) if length is not None else len(dataset)

    def set_epoch(self, epoch: int) -> None:
        """Change the random stream (call before each epoch; workers see it when re-created)."""
        self.epoch = int(epoch)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> dict:
        sample = self.dataset[index % len(self.dataset)]
        if sample.mask is None:
            raise ValueError(f"sample {sample.id!r} has no mask; training needs labels")
        rng = np.random.default_rng([self.seed, self.epoch, int(index)])
        image, mask = self.augment(sample.image, sample.mask, rng)
        return {
            "image": torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))),
            "mask": torch.from_numpy(mask.astype(np.int64)),
            "index": int(index),
        }


def worker_init_fn(worker_id: int) -> None:
    """DataLoader worker setup: one OpenCV and one torch thread per worker process."""
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
