"""Training and validation data: weighted mixtures of sources, deterministic per global sample index.

Every training pair is a pure function of `(seed, global index)`: the index picks, through a
NumPy generator seeded with both, the source (by weight), the image within it and every random
choice of the augmentation (or of the synthetic smoke). Consequences:

- exact resume needs no data-loader state: the sampler simply starts at the resumed iteration;
- the number of loader workers never changes what is trained on;
- under DistributedDataParallel, rank r of w takes global indices
  `((it * w + r) * batch + j)`, so ranks see disjoint samples (the distributed sampler).

Parts in their own modules, every name importable here too: opening the config's `DatasetSpec`s
as `Source`s (`sources`), the augmentation and progressive resizing (`augment_schedule`).
"""

from __future__ import annotations

import random
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import cv2
import numpy as np
import torch

from fosp_core.data.types import IGNORE, Sample
from fosp_core.train.augment_schedule import Augment, ScheduledAugment, build_augment, crop_at, schedule_at
from fosp_core.train.config import Config
from fosp_core.train.sources import (
    SCENE_SPLITS,
    SYNTHETIC_NAME_PATTERN,
    DataError,
    Source,
    left_out_note,
    open_source,
    open_sources,
)

S = TypeVar("S")
T = TypeVar("T")


def draw_with_retries(rng: np.random.Generator, sources: Sequence[S], p: np.ndarray,
                      draw: Callable[[S, np.random.Generator], T | None], what: str, tries: int = 10) -> T:
    """Pick a source with probabilities `p` and call `draw(source, rng)`; a `SampleError` (an image
    that fails to decode) or a None result is replaced by another draw of the same generator, so a
    stream stays a deterministic function of its seed and index. Raises RuntimeError after `tries`."""
    from fosp_core.data.datasets import SampleError

    last: Exception | None = None
    for _ in range(tries):
        src = sources[int(rng.choice(len(sources), p=p))]
        try:
            result = draw(src, rng)
        except SampleError as exc:
            last = exc
            continue
        if result is not None:
            return result
    raise RuntimeError(f"{tries} draws in a row failed for {what}: {last}")


class MixedTrainStream(torch.utils.data.Dataset):
    """Map-style dataset: global index -> (image uint8 3xHxW RGB, mask uint8 HxW 0/1/255) crops.

    augment: one augmentation, or a `ScheduledAugment` that picks it by the index's iteration.

    Index i draws source k with probability weight_k / sum(weights), then a sample of it and the
    augmentation, all from `np.random.default_rng([seed, i])`. A sample that fails to decode is
    replaced by another draw of the same generator (deterministic), at most 10 times.
    """

    def __init__(self, sources: Sequence[Source], augment: Callable | ScheduledAugment, seed: int,
                 length: int = 2**62):
        weights = np.array([s.weight for s in sources], dtype=np.float64)
        self.sources = list(sources)
        self.p = weights / weights.sum()
        self.augment = augment
        self.seed = int(seed)
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        def crop_pair(src: Source, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor] | None:
            sample = src.draw(rng)
            if sample.mask is None:
                return None
            focus = sample.meta.get("focus")
            if focus is None:
                image, mask = augment(sample.image, sample.mask, rng)
            else:
                image, mask = augment(sample.image, sample.mask, rng, focus=focus)
            return (torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))),
                    torch.from_numpy(np.ascontiguousarray(mask)))

        augment = self.augment(index) if isinstance(self.augment, ScheduledAugment) else self.augment
        rng = np.random.default_rng([self.seed, int(index)])
        return draw_with_retries(rng, self.sources, self.p, crop_pair, f"training index {index}")


class StepBatchSampler(torch.utils.data.Sampler[list[int]]):
    """Batches of global indices for iterations `start .. total-1` of one rank (see module doc)."""

    def __init__(self, start: int, total: int, batch_size: int, rank: int = 0, world_size: int = 1):
        self.start, self.total, self.batch = start, total, batch_size
        self.rank, self.world = rank, world_size

    def __len__(self) -> int:
        return max(0, self.total - self.start)

    def __iter__(self) -> Iterator[list[int]]:
        for it in range(self.start, self.total):
            base = (it * self.world + self.rank) * self.batch
            yield list(range(base, base + self.batch))


def seed_worker(worker_id: int) -> None:
    """DataLoader worker init: seed Python and NumPy global RNGs from the worker's torch seed, and take
    SIGTERM as SIGINT (KeyboardInterrupt: the worker leaves quietly). A SIGTERM to the run's process
    group (`timeout`, `kill -- -PGID`, a batch scheduler) killed the workers, and the run's SIGCHLD handler
    then broke its save of `last.pt` ("DataLoader worker ... killed by signal: Terminated")."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.excepthook = _quiet_dropped_handover(sys.excepthook)
    seed = torch.initial_seed() % 2**32
    np.random.seed(seed)
    random.seed(seed)


def _quiet_dropped_handover(previous: Callable[..., Any]) -> Callable[..., Any]:
    """A worker's `sys.excepthook` that drops the error of a batch's hand-over the run broke off, else `previous`.

    A worker hands each batch's tensors to the run through `multiprocessing.resource_sharer`, whose server thread
    reports a failed hand-over with `sys.excepthook`: a run stopped (the Fine-tune dialog's Stop, Ctrl+C) while it
    took a batch closes the connection mid-handshake, and the worker printed a 20-line ConnectionResetError
    traceback into the run's output, above "interrupted: state saved". Nothing is lost: the run saves its state."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        frames = traceback.extract_tb(tb) if tb is not None else []
        if issubclass(kind, (ConnectionError, EOFError)) and any(
                Path(f.filename).name == "resource_sharer.py" for f in frames):
            return
        previous(kind, value, tb)

    return hook


def train_loader(stream: MixedTrainStream, cfg: Config, start: int, total: int, rank: int = 0,
                 world_size: int = 1, batch: int | None = None,
                 pin_memory: bool = False) -> torch.utils.data.DataLoader:
    """DataLoader over `stream` for iterations [start, total) of this rank, `batch` samples each
    (default `train.batch_size`).

    It uses its own torch.Generator so creating it never consumes the global RNG (exact resume).
    """
    workers = cfg.data.workers
    gen = torch.Generator().manual_seed(cfg.train.seed * 1000 + rank)
    return torch.utils.data.DataLoader(
        stream,
        batch_sampler=StepBatchSampler(start, total, batch or cfg.train.batch_size, rank, world_size),
        num_workers=workers,
        worker_init_fn=seed_worker if workers else None,
        generator=gen,
        pin_memory=pin_memory,
        persistent_workers=False,
        prefetch_factor=2 if workers else None,
    )


def resize_for_eval(image: np.ndarray, long_side: int) -> np.ndarray:
    """Resize an RGB uint8 HxWx3 image so its long side is `long_side` (0 = unchanged), area/linear;
    a side under 32 px (a thin strip) is stretched to 32, the network's smallest input, as the app's
    letterbox pads it (left alone, the model refused it and the run's validation crashed)."""
    h, w = image.shape[:2]
    s = long_side / max(h, w) if long_side else 1.0
    size = (max(32, round(w * s)), max(32, round(h * s)))
    if size == (w, h):
        return image
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interp)


def iter_eval_samples(sources: Sequence[Source], max_images: int = 0, rank: int = 0,
                      world_size: int = 1,
                      left_out: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, Sample]]:
    """(source name, sample) over every fixed validation source, strided over ranks. An image that
    cannot be read is skipped (not fatal), and (source name, why) appended to `left_out` to be said."""
    k = 0
    for src in sources:
        n = src.size if not max_images else min(src.size, max_images)
        for i in range(n):
            if k % world_size == rank:
                try:
                    sample = src[i]
                except Exception as exc:  # noqa: BLE001 - a broken file is skipped in validation, not fatal
                    if left_out is not None:
                        left_out.append((src.name, str(exc) or type(exc).__name__))
                    k += 1
                    continue
                if sample.mask is not None:
                    yield src.name, sample
            k += 1


__all__ = ["DataError", "IGNORE", "MixedTrainStream", "Source", "StepBatchSampler", "open_sources",
           "iter_eval_samples", "resize_for_eval", "train_loader", "build_augment", "seed_worker", "ScheduledAugment",
           "crop_at",
           # their home is fosp_core.train.sources / .augment_schedule; imported from here too
           "Augment", "SCENE_SPLITS", "SYNTHETIC_NAME_PATTERN", "draw_with_retries", "left_out_note", "open_source",
           "schedule_at"]
