"""Unlabelled images for self-supervised pre-training: every image at hand except validation ones.

Sources (each optional, see `SSLConfig`):

- **SMOKE5K** training folder (``smoke5k``): its real images minus the committed scene-held-out
  validation and buffer lists (``fosp_core/configs/splits/smoke5k-scene-{val,buffer}.txt``), plus its
  synthetic images (``<digits>_<digits>`` names) drawn at ``synthetic_weight`` of a real image's rate.
  A folder with ``train/``/``test/`` sub-folders contributes ``train/`` only.
- **SmokeSeg** folder (``smokeseg``): its ``train`` split only (``val``/``test`` are evaluation images).
- **videos** folder: every ``frame_step``-th frame of every video file in it, decoded once at start-up
  (held in memory, long side at most ``scale[1]``), each file once its frames are indexed (a scan of
  its packets, about 0.1 ms a packet; Ctrl+C or the app's Stop ends the wait).
- **extra** folders: every image of any layout ``open_dataset`` reads (no split filtering: do not
  point this at validation images).

Labels are never read. A training crop is a pure function of ``(seed, sample index)``: a
`numpy.random.Generator` seeded with both picks the source and image, the resize, crop, flip and the
block mask, so a resumed run sees exactly the samples a straight run would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch

from fosp_core.train.data import draw_with_retries
from fosp_core.train.ssl_config import SSLConfig

__all__ = ["ImageSource", "SSLDataError", "SSLStream", "block_mask", "open_image_sources", "random_crop"]


class SSLDataError(ValueError):
    """A source folder is missing, of the wrong layout, or holds no usable image; names the setting."""


@dataclass
class ImageSource:
    """A set of unlabelled images: ``load(i)`` gives image ``i`` as RGB uint8 (H, W, 3)."""

    name: str
    size: int
    weight: float
    load: Callable[[int], np.ndarray]


def _folder(cfg: SSLConfig, key: str, value: str) -> Path:
    path = cfg.data_path(value)
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise SSLDataError(f"{key} = {value!r}: {path} {what} (data root {cfg.data_root!r}); "
                           f"pass an empty {key} to leave this source out")
    return path


@dataclass(frozen=True)
class _Picked:
    """Image ``indices[i]`` of dataset `ds`: a source's ``load``, a module-level object and not a closure, as
    macOS and Windows pickle the stream into each DataLoader worker (spawn)."""

    ds: Any
    indices: list[int]

    def __call__(self, i: int) -> np.ndarray:
        return self.ds.load_image(self.indices[i])


def _smoke5k_sources(cfg: SSLConfig, path: Path) -> list[ImageSource]:
    from fosp_core.data.datasets import DatasetError, open_dataset
    from fosp_core.data.splits import SYNTHETIC_NAME, read_split_file

    split = "train" if (path / "train").is_dir() else None
    try:
        ds = open_dataset(path, split, on_error="skip", check_sizes=False)
    except DatasetError as exc:
        raise SSLDataError(f"smoke5k: {exc}") from exc
    if ds.layout != "smoke5k":
        raise SSLDataError(f"smoke5k = {cfg.smoke5k!r}: {path} has the {ds.layout!r} layout, not SMOKE5K "
                           "(img/ + gt/)")
    held_out = set(read_split_file("val")) | set(read_split_file("buffer"))
    real = [i for i, n in enumerate(ds.ids) if not SYNTHETIC_NAME.match(n) and n not in held_out]
    synthetic = [i for i, n in enumerate(ds.ids) if SYNTHETIC_NAME.match(n)]
    if not real and not synthetic:
        raise SSLDataError(f"smoke5k = {cfg.smoke5k!r}: no training image in {path}")
    out = []
    for name, indices, weight in (("smoke5k-real", real, 1.0), ("smoke5k-synthetic", synthetic, cfg.synthetic_weight)):
        if indices and weight > 0:
            out.append(ImageSource(name, len(indices), weight * len(indices), _Picked(ds, indices)))
    return out


def _dataset_source(cfg: SSLConfig, key: str, path: Path, split: str | None, name: str) -> ImageSource:
    from fosp_core.data.datasets import DatasetError, open_dataset

    try:
        ds = open_dataset(path, split, on_error="skip", check_sizes=False)
    except DatasetError as exc:
        raise SSLDataError(f"{key}: {exc}") from exc
    if not len(ds):
        raise SSLDataError(f"{key}: no image in {path}" + (f" (split {split!r})" if split else ""))
    return ImageSource(name, len(ds), float(len(ds)), ds.load_image)


def _fit_long_side(image: np.ndarray, long_side: int) -> np.ndarray:
    h, w = image.shape[:2]
    if max(h, w) <= long_side:
        return image
    s = long_side / max(h, w)
    return cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)


_INDEX_POLL_S = 0.25  # the wait for a video's frame index, in short waits: Ctrl+C is seen between them


def _video_source(cfg: SSLConfig, path: Path) -> ImageSource:
    """Every ``frame_step``-th frame of the videos in ``path``, decoded now and kept in memory."""
    from fosp_core.video import FrameDecodeError, VideoOpenError, is_video_path, open_video
    from fosp_core.video.reader import wait_for_index

    files = sorted(p for p in path.iterdir() if p.is_file() and is_video_path(p))
    if not files:
        raise SSLDataError(f"videos = {cfg.videos!r}: no video file in {path}")
    frames: list[np.ndarray] = []
    for file in files:
        try:
            reader = open_video(file, cache_bytes=0)
        except VideoOpenError as exc:
            raise SSLDataError(f"videos: {file}: {exc}") from exc
        try:
            wait_for_index(reader, poll_s=_INDEX_POLL_S)  # KeyboardInterrupt (Ctrl+C, Stop) ends it; else a long file's frames fail as 'still being indexed' and are dropped
            for index in range(0, reader.meta.frame_count, cfg.frame_step):
                try:
                    frames.append(_fit_long_side(reader.read(index), cfg.scale[1]))
                except (FrameDecodeError, IndexError):
                    continue  # one bad frame is not worth stopping for; the others still count
        finally:
            reader.close()
    if not frames:
        raise SSLDataError(f"videos = {cfg.videos!r}: no frame could be decoded from {len(files)} file(s)")
    return ImageSource("video-frames", len(frames), float(len(frames)), frames.__getitem__)


def open_image_sources(cfg: SSLConfig) -> list[ImageSource]:
    """Open every source the config names (see the module doc); `SSLDataError` on a missing folder."""
    sources: list[ImageSource] = []
    if cfg.smoke5k:
        sources += _smoke5k_sources(cfg, _folder(cfg, "smoke5k", cfg.smoke5k))
    if cfg.smokeseg:
        path = _folder(cfg, "smokeseg", cfg.smokeseg)
        sources.append(_dataset_source(cfg, "smokeseg", path, "train", "smokeseg-train"))
    if cfg.videos:
        sources.append(_video_source(cfg, _folder(cfg, "videos", cfg.videos)))
    for i, extra in enumerate(cfg.extra):
        path = _folder(cfg, f"extra[{i}]", extra)
        sources.append(_dataset_source(cfg, f"extra[{i}]", path, None, f"extra:{path.name}"))
    if not sources:
        raise SSLDataError("no image to pre-train on (every source is empty or has weight 0)")
    return sources


def random_crop(image: np.ndarray, crop: int, scale: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Resize so the long side is U(scale) (the short side at least ``crop``), cut a random
    ``crop`` x ``crop`` window, flip it left-right half of the time. RGB uint8 in and out."""
    h, w = image.shape[:2]
    s = max(float(rng.uniform(scale[0], scale[1])) / max(h, w), crop / min(h, w))
    nh, nw = max(crop, round(h * s)), max(crop, round(w * s))
    if (nh, nw) != (h, w):
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
        image = cv2.resize(image, (nw, nh), interpolation=interp)
    y, x = int(rng.integers(0, nh - crop + 1)), int(rng.integers(0, nw - crop + 1))
    out = image[y:y + crop, x:x + crop]
    if rng.random() < 0.5:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def block_mask(height: int, width: int, block: int, ratio: float, rng: np.random.Generator) -> np.ndarray:
    """uint8 (H, W) mask, 1 on ``round(ratio * cells)`` randomly chosen ``block`` x ``block`` cells
    of the grid that tiles the image (at least one cell hidden, at least one visible)."""
    gh, gw = -(-height // block), -(-width // block)
    cells = gh * gw
    n = min(max(1, round(ratio * cells)), cells - 1) if cells > 1 else 1
    grid = np.zeros(cells, np.uint8)
    grid[rng.choice(cells, size=n, replace=False)] = 1
    full = np.kron(grid.reshape(gh, gw), np.ones((block, block), np.uint8))
    return np.ascontiguousarray(full[:height, :width])


class SSLStream(torch.utils.data.Dataset):
    """Map-style dataset: sample index -> (crop uint8 (3, crop, crop) RGB, mask uint8 (1, crop, crop)).

    Index i draws a source with probability proportional to its weight, an image of it, the crop and
    the mask, all from ``np.random.default_rng([seed, i])``. An image that fails to decode is replaced
    by another draw of the same generator (at most 10 times).
    """

    def __init__(self, sources: Sequence[ImageSource], cfg: SSLConfig, length: int = 2**62) -> None:
        weights = np.array([s.weight for s in sources], dtype=np.float64)
        self.sources = list(sources)
        self.p = weights / weights.sum()
        self.crop, self.scale = cfg.crop, cfg.scale
        self.block, self.ratio = cfg.mask_block, cfg.mask_ratio
        self.seed = int(cfg.seed)
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        def masked_crop(src: ImageSource, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
            image = src.load(int(rng.integers(src.size)))
            crop = random_crop(image, self.crop, self.scale, rng)
            mask = block_mask(self.crop, self.crop, self.block, self.ratio, rng)
            return (torch.from_numpy(np.ascontiguousarray(crop.transpose(2, 0, 1))),
                    torch.from_numpy(mask)[None])

        rng = np.random.default_rng([self.seed, int(index)])
        return draw_with_retries(rng, self.sources, self.p, masked_crop, f"sample {index}")

    def describe(self) -> str:
        """One line: each source with its image count and share of the draws."""
        return ", ".join(f"{s.name} ({s.size} images, {p:.0%})" for s, p in zip(self.sources, self.p, strict=True))
