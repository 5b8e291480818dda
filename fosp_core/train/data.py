"""Training and validation data: weighted mixtures of sources, deterministic per global sample index.

Every training pair is a pure function of `(seed, global index)`: the index picks, through a
NumPy generator seeded with both, the source (by weight), the image within it and every random
choice of the augmentation (or of the synthetic smoke). Consequences:

- exact resume needs no data-loader state: the sampler simply starts at the resumed iteration;
- the number of loader workers never changes what is trained on;
- under DistributedDataParallel, rank r of w takes global indices
  `((it * w + r) * batch + j)`, so ranks see disjoint samples (the distributed sampler).

Sources are `DatasetSpec`s (see `fosp_core.train.config`): any layout `open_dataset` reads, a
named scene split of SMOKE5K (`split = "scene-train"` / `"scene-val"`), a SMOKE5K subset (real or
synthetic names), or `kind = "synthetic"`: early smoke composited on the fly over the images of
`path` by `fosp_core.data.synth`.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np
import torch

from fosp_core.data.types import IGNORE, Sample
from fosp_core.train.config import Config, ConfigError, DatasetSpec

S = TypeVar("S")
T = TypeVar("T")

SYNTHETIC_NAME_PATTERN = r"^\d+_\d+$"
SCENE_SPLITS = {"scene-train": "train", "scene-val": "val", "scene-buffer": "buffer",
                "scene-fit": "fit", "scene-pick": "pick"}  # the last two: stage 32 (bench/make_pick_split.py)


class DataError(ValueError):
    """A dataset named by a config cannot be opened (missing folder, unknown split, empty)."""


@dataclass
class Source:
    """One opened `DatasetSpec`: a way to draw labelled samples with a NumPy generator."""

    name: str
    weight: float
    size: int
    draw_fn: Callable[[np.random.Generator], Sample]
    get_fn: Callable[[int], Sample] | None = None
    scene_of: dict[str, str] | None = None  # {image id: scene}, for per-scene false-alarm scores
    skipped: tuple[tuple[str, str], ...] = ()  # (id, reason) of the dataset's pairs left out

    def skipped_note(self) -> str:
        """`"2 images left out (a: mask is ...; b: ...)"`, or "" when every pair was usable."""
        return left_out_note(self.skipped)

    def draw(self, rng: np.random.Generator) -> Sample:
        """A random labelled sample (uniform over images, or freshly synthesised)."""
        return self.draw_fn(rng)

    def __getitem__(self, i: int) -> Sample:
        if self.get_fn is None:
            raise TypeError(f"source {self.name} is generated; it has no fixed items")
        return self.get_fn(i)


def left_out_note(skipped: Sequence[tuple[str, str]], show: int = 3) -> str:
    """What `open_dataset(on_error="skip")` left out, for a message: the count and the first reasons."""
    if not skipped:
        return ""
    reasons = "; ".join(f"{sample_id}: {reason}" for sample_id, reason in skipped[:show])
    more = f"; {len(skipped) - show} more" if len(skipped) > show else ""
    return f"{len(skipped)} image{'s' if len(skipped) != 1 else ''} left out ({reasons}{more})"


def _scene_split_file(split: str) -> Path:
    from fosp_core.data.splits import SPLITS_DIR

    return SPLITS_DIR / f"smoke5k-scene-{SCENE_SPLITS[split]}.txt"


def open_source(cfg: Config, spec: DatasetSpec, key: str) -> Source:
    """Open one spec; `key` (e.g. "data.train.0") names it in errors."""
    import re

    from fosp_core.data.datasets import DatasetError, open_dataset

    path = cfg.data_path(spec)
    where = f"{cfg.source or 'config'}: {key}.path"
    if not path.exists():
        raise DataError(f"{where}: {path} does not exist (data.root = {cfg.data.root!r})")
    if spec.kind == "synthetic":
        return _synthetic_source(path, spec, key, cfg.train.seed)
    split: str | Path | None = spec.split or None
    if spec.split in SCENE_SPLITS:
        split = _scene_split_file(spec.split)
    try:
        ds = open_dataset(path, split, on_error="skip")
    except DatasetError as exc:
        raise DataError(f"{where}: {exc}") from exc
    if spec.kind != "auto" and ds.layout != spec.kind:
        raise DataError(f"{where}: {path} has the {ds.layout!r} layout, the config says kind = {spec.kind!r}")
    if not ds.has_labels:
        raise DataError(f"{where}: {path} has no masks; training and validation need labelled images")
    ids = ds.ids
    indices = list(range(len(ds)))
    if spec.subset != "all":
        synthetic = re.compile(SYNTHETIC_NAME_PATTERN)
        want = spec.subset == "synthetic"
        indices = [i for i in indices if bool(synthetic.match(ids[i])) == want]
    if spec.max_items:
        indices = indices[: spec.max_items]
    if not indices:
        note = left_out_note(ds.skipped)
        raise DataError(f"{where}: no labelled images in {path} (split {spec.split!r}, subset {spec.subset!r})"
                        + (f": {note}" if note else ""))

    if spec.hard_negatives or spec.hard_positives:
        return _hard_example_source(cfg, spec, key, ds, indices)

    def get(i: int) -> Sample:
        return ds[indices[i]]

    def draw(rng: np.random.Generator) -> Sample:
        return ds[indices[int(rng.integers(len(indices)))]]

    scene_of = None
    if spec.split == "scene-val":
        from fosp_core.data.splits import read_scene_map

        with contextlib.suppress(FileNotFoundError):
            scene_of = read_scene_map()
    return Source(name=spec.source_name, weight=spec.weight, size=len(indices), draw_fn=draw, get_fn=get,
                  scene_of=scene_of, skipped=tuple(ds.skipped))


def _hard_example_source(cfg: Config, spec: DatasetSpec, key: str, ds: Any, indices: list[int]) -> Source:
    """The images of `indices` listed in the spec's hard-negative (or hard-positive) file; a draw
    picks one of them and one of its points, which goes to the augmentation as
    `sample.meta["focus"]` (crop centred there)."""
    import dataclasses

    from fosp_core.train.hard_negatives import FALSE_ALARMS, MISSES, OPTIONS, HardNegativeError, read_file

    kind = FALSE_ALARMS if spec.hard_negatives else MISSES
    option = OPTIONS[kind]
    where = f"{cfg.source or 'config'}: {key}.{option}"
    file = Path(getattr(spec, option)).expanduser()
    try:
        points = read_file(file, kind)
    except HardNegativeError as exc:
        raise DataError(f"{where}: {exc}") from exc
    ids = ds.ids
    keep = [(i, points[ids[i]]) for i in indices if ids[i] in points]
    if not keep:
        raise DataError(f"{where}: none of the {len(points)} images of {file} is in this source "
                        f"({spec.path}, split {spec.split!r}): mine this source's images")

    def draw(rng: np.random.Generator) -> Sample:
        index, pts = keep[int(rng.integers(len(keep)))]
        focus = pts[int(rng.integers(len(pts)))]
        sample = ds[index]
        return dataclasses.replace(sample, meta={**sample.meta, "focus": focus})

    def get(i: int) -> Sample:
        return ds[keep[i][0]]

    return Source(name=spec.source_name + f"<{option.replace('_', ' ')}>", weight=spec.weight, size=len(keep),
                  draw_fn=draw, get_fn=get)


def _synthetic_source(path: Path, spec: DatasetSpec, key: str, seed: int) -> Source:
    """Early smoke composited on the fly over the real images of `path` (`fosp_core.data.synth`).

    Backgrounds keep real labelled smoke out of the crop (or labelled); with a scene split only the
    images of that split serve as backgrounds. Draws pick a background and a synthesis index from
    the caller's generator; fixed items (validation) use index i over background i mod n.
    """
    from fosp_core.data.synth import SmokeSynthesizer
    from fosp_core.data.synth_backgrounds import load_backgrounds

    try:
        backgrounds = load_backgrounds(path, real_only=True)
    except (FileNotFoundError, ValueError) as exc:
        raise DataError(f"{key}.path: {exc}") from exc
    if spec.split in SCENE_SPLITS:
        keep = set(_scene_split_file(spec.split).read_text().split())
        backgrounds = [b for b in backgrounds if b.id in keep]
    if not backgrounds:
        raise DataError(f"{key}.path: no background images in {path} (split {spec.split!r})")
    synthesizer = SmokeSynthesizer(seed=seed)

    def draw(rng: np.random.Generator) -> Sample:
        bg = backgrounds[int(rng.integers(len(backgrounds)))]
        return synthesizer.sample(bg, int(rng.integers(2**31)))

    def get(i: int) -> Sample:
        return synthesizer.sample(backgrounds[i % len(backgrounds)], i)

    n = spec.max_items or len(backgrounds)
    return Source(name=f"synthetic({path.name})", weight=spec.weight, size=n, draw_fn=draw, get_fn=get)


def open_sources(cfg: Config, group: str) -> list[Source]:
    """Open `cfg.data.train` or `cfg.data.val` (group "train" / "val")."""
    specs: list[DatasetSpec] = getattr(cfg.data, group)
    if not specs and group == "train":
        raise ConfigError(f"{cfg.source or 'config'}: data.train is empty: name at least one dataset")
    return [open_source(cfg, s, f"data.{group}.{i}") for i, s in enumerate(specs)]


Augment = Callable[[np.ndarray, np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def build_augment(cfg: Config, crop: int = 0, scale: int = 0, context: int = 0) -> Augment:
    """The training augmentation of the config: `fosp_core.data.augment.TrainAugment` (the paper's
    resize / crop with cat_max_ratio / flip / photometric pipeline; `data.scale` 0 = the image's own
    size; `data.smoke_crop_prob` > 0 centres that share of the crops on labelled smoke).

    crop: another crop size than `data.crop` (progressive resizing): the rescale is multiplied by
    crop / `data.crop`, so the crop shows the same view at another resolution.
    scale: with `crop`, the long side before the random ratio instead (the same resolution as
    `data.scale`, another view).
    context: pixels at each side of the crop left out of the loss (seen, not supervised)."""
    from fosp_core.data.augment import TrainAugment

    d = cfg.data
    crop = crop or d.crop
    lo, hi = d.ratio_range
    f = crop / d.crop
    if scale:  # another view at the resolution of `scale`
        long_side, ratio = scale, (lo, hi)
    else:  # the same view at another resolution
        long_side, ratio = (round(d.scale * f), (lo, hi)) if d.scale else (None, (lo * f, hi * f))
    return TrainAugment(crop_size=crop, ratio_range=ratio, cat_max_ratio=d.cat_max_ratio,
                        scale=long_side, smoke_crop_prob=d.smoke_crop_prob, context=context)


def _schedule_key(entry: Sequence[int]) -> tuple[int, int, int]:
    """(crop, scale, context) of a `data.crop_schedule` entry; 0 = not given."""
    return entry[1], entry[2] if len(entry) >= 3 else 0, entry[3] if len(entry) >= 4 else 0


def schedule_at(cfg: Config, iteration: int) -> tuple[int, int, int]:
    """(crop, scale, context) at `iteration` under `data.crop_schedule`; scale 0 = the crop's own
    view (the rescale of `data.crop`, times crop / `data.crop`); context 0 = the whole crop supervised."""
    at: tuple[int, int, int] = (cfg.data.crop, 0, 0)
    for entry in sorted(cfg.data.crop_schedule):
        if iteration >= entry[0]:
            at = _schedule_key(entry)
    return at


def crop_at(cfg: Config, iteration: int) -> int:
    """The training crop size at `iteration` under `data.crop_schedule` (else `data.crop`)."""
    return schedule_at(cfg, iteration)[0]


class ScheduledAugment:
    """Progressive resizing: global sample index -> the augmentation of its iteration's crop size
    (and view, for entries that name a scale, and unsupervised context, for entries that name one).

    samples_per_iteration: batch x grad_accum x processes (how `StepBatchSampler` numbers samples).
    """

    def __init__(self, cfg: Config, samples_per_iteration: int):
        self.cfg = cfg
        self.per_iteration = int(samples_per_iteration)
        keys = {(cfg.data.crop, 0, 0), *(_schedule_key(e) for e in cfg.data.crop_schedule)}
        self.augments = {key: build_augment(cfg, *key) for key in keys}

    def __call__(self, index: int) -> Augment:
        return self.augments[schedule_at(self.cfg, index // self.per_iteration)]


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
    """DataLoader worker init: seed Python and NumPy global RNGs from the worker's torch seed."""
    seed = torch.initial_seed() % 2**32
    np.random.seed(seed)
    random.seed(seed)


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
    """Resize an RGB uint8 HxWx3 image so its long side is `long_side` (0 = unchanged), area/linear."""
    h, w = image.shape[:2]
    if not long_side or max(h, w) == long_side:
        return image
    s = long_side / max(h, w)
    size = (max(32, round(w * s)), max(32, round(h * s)))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interp)


def iter_eval_samples(sources: Sequence[Source], max_images: int = 0, rank: int = 0,
                      world_size: int = 1) -> Iterator[tuple[str, Sample]]:
    """(source name, sample) over every fixed validation source, strided over ranks."""
    k = 0
    for src in sources:
        n = src.size if not max_images else min(src.size, max_images)
        for i in range(n):
            if k % world_size == rank:
                try:
                    sample = src[i]
                except Exception:  # noqa: BLE001 - a broken file is skipped in validation, not fatal
                    k += 1
                    continue
                if sample.mask is not None:
                    yield src.name, sample
            k += 1


__all__ = ["DataError", "IGNORE", "MixedTrainStream", "Source", "StepBatchSampler", "open_sources",
           "iter_eval_samples", "resize_for_eval", "train_loader", "build_augment", "seed_worker", "ScheduledAugment", "crop_at"]
