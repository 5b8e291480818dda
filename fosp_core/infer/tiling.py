"""Geometry of the two resize policies.

*Letterbox* (default): the image is resized so its long side equals the model's input size
(aspect kept) and goes to the network as it is, like validation and training feed it: no padding,
whatever its sides (the network takes any size; its maps are resized back). Padding changes what
the model says: a 4:3 photo padded to a square has a quarter of the network's input blank, and the
default model scored F_β 39.1 on the scene-val photos that way instead of 50.8; even a band under
32 px matters: at a 448 input (4:3 photos at 448 x 336, padded to 448 x 352) it flagged 8.7 % of
scene-val's smoke-free crops, unpadded 5.7 %, because its attention and Focus Map see the band.
Only an image thinner than 32 px after resizing is padded (top-left, the ImageNet mean colour,
zero after the model's normalisation) up to 32 px. Maps come back by cropping the image's part of
the canvas and resizing to the original (H, W).

*Tiled*: the image is cut at native resolution into tile x tile windows that overlap by at least
`overlap` pixels and start on a 32-pixel grid (so every window sees the same stride-32 cell grid as
one big run would); each window's maps are weighted by a linear cross-fade over the overlap with its
neighbours (full weight at the image border) and the weighted sum is normalised. A plume a few pixels
wide in a 4K frame keeps its pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import torch
import torch.nn.functional as F

# ImageNet mean on 0-255 RGB: the padding colour (normalises to 0).
PAD_RGB: tuple[int, int, int] = (124, 116, 104)
# The shortest canvas side: one cell of the network's coarsest stride.
MIN_SIDE = 32


def check_size(size: int, what: str) -> int:
    size = int(size)
    if size < 32 or size % 32:
        raise ValueError(f"{what} must be a positive multiple of 32, got {size}")
    return size


@dataclass(frozen=True)
class Letterbox:
    """Where an (src_h, src_w) image sits on a (canvas_h, canvas_w) canvas after resizing to
    (new_h, new_w); the canvas is the resized image itself, each side padded to MIN_SIDE if shorter."""

    src_h: int
    src_w: int
    new_h: int
    new_w: int
    canvas_h: int
    canvas_w: int


def letterbox_geometry(h: int, w: int, size: int) -> Letterbox:
    scale = size / max(h, w)
    new_h = min(size, max(1, round(h * scale)))
    new_w = min(size, max(1, round(w * scale)))
    return Letterbox(h, w, new_h, new_w, max(new_h, MIN_SIDE), max(new_w, MIN_SIDE))


def letterbox_image(rgb: np.ndarray, geom: Letterbox) -> np.ndarray:
    """RGB uint8 (H, W, 3) -> RGB uint8 (canvas_h, canvas_w, 3)."""
    if (geom.new_h, geom.new_w) != rgb.shape[:2]:
        shrinking = geom.new_h < rgb.shape[0] or geom.new_w < rgb.shape[1]
        interp = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
        rgb = cv2.resize(rgb, (geom.new_w, geom.new_h), interpolation=interp)
    return pad_to(rgb, geom.canvas_h, geom.canvas_w)


def pad_to(rgb: np.ndarray, h: int, w: int) -> np.ndarray:
    """Place `rgb` at the top-left of an (h, w, 3) canvas filled with PAD_RGB."""
    if rgb.shape[0] == h and rgb.shape[1] == w:
        return np.ascontiguousarray(rgb)
    canvas = np.empty((h, w, 3), np.uint8)
    canvas[...] = PAD_RGB
    canvas[: rgb.shape[0], : rgb.shape[1]] = rgb
    return canvas


def maps_from_letterbox(maps: torch.Tensor, geom: Letterbox, mode: str = "bilinear") -> torch.Tensor:
    """(C, h, w) maps over the canvas (any stride) -> (C, src_h, src_w) over the original image."""
    x = maps[None].float()
    if x.shape[-2:] != (geom.canvas_h, geom.canvas_w):
        x = _resize(x, (geom.canvas_h, geom.canvas_w), mode)
    x = x[..., : geom.new_h, : geom.new_w]
    if (geom.new_h, geom.new_w) != (geom.src_h, geom.src_w):
        x = _resize(x, (geom.src_h, geom.src_w), mode)
    return x[0]


def _resize(x: torch.Tensor, size: tuple[int, int], mode: str) -> torch.Tensor:
    if mode == "nearest":
        return F.interpolate(x, size=size, mode="nearest")
    # antialias when shrinking (e.g. a big map back to a small image) avoids aliasing; CPU/CUDA kernels only
    shrink = (size[0] < x.shape[-2] or size[1] < x.shape[-1]) and x.device.type in ("cpu", "cuda")
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=shrink)


@dataclass(frozen=True)
class Tile:
    """A window of the image: rows y0:y0+h, cols x0:x0+w (h, w <= tile size), with the overlap it
    shares with its neighbours on each side (0 at the image border)."""

    y0: int
    x0: int
    h: int
    w: int
    top: int = 0
    bottom: int = 0
    left: int = 0
    right: int = 0


ALIGN = 32  # tile starts are multiples of the network's coarsest stride, like windows of one big run


def axis_starts(n: int, tile: int, overlap: int) -> list[int]:
    """Window starts along an axis of length n: multiples of ALIGN, first at 0, adjacent windows
    overlapping by at least `overlap`, the last reaching the border (it may stick out by < ALIGN
    pixels, padded)."""
    if n <= tile:
        return [0]
    if not 0 <= overlap < tile:
        raise ValueError(f"overlap must be in [0, tile), got {overlap} for tile {tile}")
    step = max(ALIGN, (tile - overlap) // ALIGN * ALIGN)
    count = math.ceil((n - tile) / step) + 1
    last = min((count - 1) * step, math.ceil((n - tile) / ALIGN) * ALIGN)
    return [i * step for i in range(count - 1)] + [last]


def tile_grid(h: int, w: int, tile: int, overlap: int) -> list[Tile]:
    """Row-major list of windows covering every pixel of an (h, w) image."""
    ys, xs = axis_starts(h, tile, overlap), axis_starts(w, tile, overlap)
    hs = [min(tile, h - y) for y in ys]
    ws = [min(tile, w - x) for x in xs]
    tiles: list[Tile] = []
    for i, y in enumerate(ys):
        top = ys[i - 1] + hs[i - 1] - y if i > 0 else 0
        bottom = y + hs[i] - ys[i + 1] if i + 1 < len(ys) else 0
        for j, x in enumerate(xs):
            left = xs[j - 1] + ws[j - 1] - x if j > 0 else 0
            right = x + ws[j] - xs[j + 1] if j + 1 < len(xs) else 0
            tiles.append(Tile(y, x, hs[i], ws[j], top, bottom, left, right))
    return tiles


def _ramp(length: int, head: int, tail: int) -> np.ndarray:
    w = np.ones(length, np.float32)
    if head > 0:
        w[:head] = (np.arange(head, dtype=np.float32) + 0.5) / head
    if tail > 0:
        w[length - tail:] = np.minimum(w[length - tail:], ((np.arange(tail, dtype=np.float32) + 0.5) / tail)[::-1])
    return w


def tile_weight(t: Tile) -> torch.Tensor:
    """(h, w) float32 blending weight: linear cross-fade across each shared overlap, 1 elsewhere."""
    wy = _ramp(t.h, t.top, t.bottom)
    wx = _ramp(t.w, t.left, t.right)
    return torch.from_numpy(np.outer(wy, wx))


def tile_canvas(t: Tile) -> tuple[int, int]:
    """(h, w) of a window's canvas: its sides rounded up to a multiple of 32. A full window is tile x
    tile; a window cut by the image border gets under 32 px of padding, not a blank band up to the
    tile size (see the module docstring), so that the windows of a frame share a few shapes and
    batch together."""
    return _ceil32(t.h), _ceil32(t.w)


def _ceil32(n: int) -> int:
    return -(-n // 32) * 32


def crop_tile(rgb: np.ndarray, t: Tile) -> np.ndarray:
    """The window's pixels on its `tile_canvas` (top-left, padded with PAD_RGB)."""
    return pad_to(rgb[t.y0: t.y0 + t.h, t.x0: t.x0 + t.w], *tile_canvas(t))


class TileAccumulator:
    """Weighted sum of per-tile maps over the full image, on the CPU (bounded by the image size)."""

    def __init__(self, channels: int, h: int, w: int) -> None:
        self.sum = torch.zeros((channels, h, w), dtype=torch.float32)
        self.weight = torch.zeros((1, h, w), dtype=torch.float32)

    def add(self, maps: torch.Tensor, t: Tile, mode: str = "bilinear") -> None:
        """maps: (C, h, w) over the window's canvas (`tile_canvas`) at any stride."""
        x = maps[None].float()
        size = tile_canvas(t)
        if x.shape[-2:] != size:
            x = _resize(x, size, mode)
        x = x[0, :, : t.h, : t.w].cpu()
        wgt = tile_weight(t)
        self.sum[:, t.y0: t.y0 + t.h, t.x0: t.x0 + t.w] += x * wgt
        self.weight[:, t.y0: t.y0 + t.h, t.x0: t.x0 + t.w] += wgt

    def result(self) -> torch.Tensor:
        return self.sum / self.weight.clamp_min(1e-6)
