"""Training and validation sources: each `DatasetSpec` of a config opened as a `Source`.

A spec names any layout `open_dataset` reads, a named scene split of SMOKE5K (`split =
"scene-train"` / `"scene-val"`), a SMOKE5K subset (real or synthetic names), a file of hard
examples to draw from (`hard_negatives` / `hard_positives`), or `kind = "synthetic"`: early smoke
composited on the fly over the images of `path` by `fosp_core.data.synth`. A source that cannot be
opened raises `DataError` naming the config file and the key.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.data.types import Sample
from fosp_core.train.config import Config, ConfigError, DatasetSpec

__all__ = ["SCENE_SPLITS", "SYNTHETIC_NAME_PATTERN", "DataError", "Source", "left_out_note", "open_source",
           "open_sources"]

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
    image_paths: tuple[Path, ...] | None = None  # the image files it draws from (None: unknown)

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


# A source's draw and get are methods of these module-level objects, not closures: macOS and Windows start
# DataLoader workers by spawn, which pickles the training stream with its sources (a closure cannot be).


@dataclass(frozen=True)
class _Picked:
    """The images `indices` of dataset `ds`: drawn uniformly, got by position."""

    ds: Any
    indices: list[int]

    def draw(self, rng: np.random.Generator) -> Sample:
        return self.ds[self.indices[int(rng.integers(len(self.indices)))]]

    def get(self, i: int) -> Sample:
        return self.ds[self.indices[i]]


@dataclass(frozen=True)
class _Focused:
    """Hard examples: (index in `ds`, its points); a draw picks one and one of its points (``meta["focus"]``)."""

    ds: Any
    keep: list[tuple[int, Any]]

    def draw(self, rng: np.random.Generator) -> Sample:
        index, pts = self.keep[int(rng.integers(len(self.keep)))]
        focus = pts[int(rng.integers(len(pts)))]
        sample = self.ds[index]
        return dataclasses.replace(sample, meta={**sample.meta, "focus": focus})

    def get(self, i: int) -> Sample:
        return self.ds[self.keep[i][0]]


@dataclass(frozen=True)
class _Synthesised:
    """Smoke synthesised over `backgrounds`: a draw picks one and a synthesis index; item i is background
    i mod n with index i."""

    synthesizer: Any
    backgrounds: list[Any]

    def draw(self, rng: np.random.Generator) -> Sample:
        bg = self.backgrounds[int(rng.integers(len(self.backgrounds)))]
        return self.synthesizer.sample(bg, int(rng.integers(2**31)))

    def get(self, i: int) -> Sample:
        return self.synthesizer.sample(self.backgrounds[i % len(self.backgrounds)], i)


def _scene_split_file(split: str) -> Path:
    from fosp_core.data.splits import SPLITS_DIR

    return SPLITS_DIR / f"smoke5k-scene-{SCENE_SPLITS[split]}.txt"


def open_source(cfg: Config, spec: DatasetSpec, key: str) -> Source:
    """Open one spec; `key` (e.g. "data.train.0") names it in errors."""
    import re

    from fosp_core.data.datasets import DatasetError, open_dataset

    path = cfg.data_path(spec)
    where = f"{cfg.where(f'{key}.path', 'data.root')}: {key}.path"
    if not path.exists():
        if Path(spec.path).expanduser().is_absolute():  # data.root plays no part
            raise DataError(f"{where}: {path} does not exist")
        read = ("" if Path(cfg.data.root).expanduser().is_absolute() else
                f", relative to the folder the command runs in, {Path.cwd()}")
        raise DataError(f"{where}: {path} does not exist (data.root = {cfg.data.root!r}{read}; pass data.root=DIR, "
                        "the folder holding the data)")
    if spec.kind == "synthetic":
        return _synthetic_source(path, spec, key, cfg.train.seed)
    split: str | Path | None = spec.split or None
    if spec.split in SCENE_SPLITS:
        split = _scene_split_file(spec.split)
    try:
        ds = open_dataset(path, split, on_error="skip")
    except DatasetError as exc:
        if spec.split and (exc.reason.startswith("no split ") or exc.path != path):  # the split's fault
            raise DataError(f"{cfg.where(f'{key}.split')}: {key}.split: {exc}") from exc
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
        narrowed = ", ".join([f"split {spec.split!r}"] * bool(spec.split) + [f"subset {spec.subset!r}"] * (
            spec.subset != "all") + [f"max_items {spec.max_items}"] * bool(spec.max_items))  # only what was set
        raise DataError(f"{where}: no labelled images in {path}" + (f" ({narrowed})" if narrowed else "")
                        + (f": {note}" if note else ""))

    if spec.hard_negatives or spec.hard_positives:
        return _hard_example_source(cfg, spec, key, ds, indices)

    pick = _Picked(ds, indices)
    scene_of = None
    if spec.split == "scene-val":
        from fosp_core.data.splits import read_scene_map

        with contextlib.suppress(FileNotFoundError):
            scene_of = read_scene_map()
    entries = ds.entries
    return Source(name=spec.source_name, weight=spec.weight, size=len(indices), draw_fn=pick.draw, get_fn=pick.get,
                  scene_of=scene_of, skipped=tuple(ds.skipped), image_paths=tuple(entries[i].image for i in indices))


def _hard_example_source(cfg: Config, spec: DatasetSpec, key: str, ds: Any, indices: list[int]) -> Source:
    """The images of `indices` listed in the spec's hard-negative (or hard-positive) file; a draw
    picks one of them and one of its points, which goes to the augmentation as
    `sample.meta["focus"]` (crop centred there)."""
    from fosp_core.train.hard_negatives import FALSE_ALARMS, MISSES, OPTIONS, HardNegativeError, read_file

    kind = FALSE_ALARMS if spec.hard_negatives else MISSES
    option = OPTIONS[kind]
    where = f"{cfg.where(f'{key}.{option}')}: {key}.{option}"
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

    pick = _Focused(ds, keep)
    entries = ds.entries
    return Source(name=spec.source_name + f"<{option.replace('_', ' ')}>", weight=spec.weight, size=len(keep),
                  draw_fn=pick.draw, get_fn=pick.get, image_paths=tuple(entries[i].image for i, _ in keep))


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
    pick = _Synthesised(SmokeSynthesizer(seed=seed), backgrounds)
    n = spec.max_items or len(backgrounds)
    return Source(name=f"synthetic({path.name})", weight=spec.weight, size=n, draw_fn=pick.draw, get_fn=pick.get,
                  image_paths=tuple(b.image_path for b in backgrounds))  # smoke is drawn over these photos


def open_sources(cfg: Config, group: str) -> list[Source]:
    """Open `cfg.data.train` or `cfg.data.val` (group "train" / "val")."""
    specs: list[DatasetSpec] = getattr(cfg.data, group)
    if not specs and group == "train":
        raise ConfigError(f"{cfg.source or 'config'}: data.train is empty: name at least one dataset")
    return [open_source(cfg, s, f"data.{group}.{i}") for i, s in enumerate(specs)]
