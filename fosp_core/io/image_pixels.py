"""Decoded pixels of any layout to RGB uint8 HxWx3: Pillow's modes and OpenCV's arrays.

16-bit samples keep their high byte (``v >> 8``); 32-bit integer / float samples are rescaled from
their own finite min..max; grayscale is replicated to three channels, palettes expanded; alpha is
composited over black (``rgb * alpha``).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["composite_over_black", "gray_to_rgb", "pil_to_rgb", "rescale_to_uint8"]


def pil_to_rgb(im: Image.Image) -> tuple[np.ndarray, int, bool]:
    """Convert any Pillow image to RGB uint8; returns (rgb, bit_depth, had_alpha)."""
    mode = im.mode
    if mode in ("RGB",):
        return np.ascontiguousarray(np.asarray(im, dtype=np.uint8)), 8, False
    if mode == "L":
        g = np.asarray(im, dtype=np.uint8)
        return gray_to_rgb(g), 8, False
    if mode == "1":
        g = np.asarray(im.convert("L"), dtype=np.uint8)
        return gray_to_rgb(g), 1, False
    if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        arr = np.asarray(im).astype(np.uint16)
        return gray_to_rgb((arr >> 8).astype(np.uint8)), 16, False
    if mode in ("I", "F"):
        arr = np.asarray(im)
        bit_depth = 16 if mode == "I" and arr.size and arr.min() >= 0 and arr.max() <= 65535 else 32
        if bit_depth == 16:
            g = (arr.astype(np.uint32) >> 8).astype(np.uint8)
        else:
            g = rescale_to_uint8(arr.astype(np.float64))
        return gray_to_rgb(g), bit_depth, False
    if mode == "P":
        has_alpha = "transparency" in im.info
        im = im.convert("RGBA" if has_alpha else "RGB")
        if has_alpha:
            return composite_over_black(np.asarray(im, dtype=np.uint8)), 8, True
        return np.ascontiguousarray(np.asarray(im, dtype=np.uint8)), 8, False
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = np.asarray(im.convert("RGBA"), dtype=np.uint8)
        return composite_over_black(rgba), 8, True
    # CMYK, YCbCr, LAB, HSV, ... : let Pillow do the colour conversion.
    return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8)), 8, False


def gray_to_rgb(g: np.ndarray) -> np.ndarray:
    """HxW -> HxWx3, C-contiguous."""
    return np.ascontiguousarray(np.repeat(g[:, :, None], 3, axis=2))


def composite_over_black(rgba: np.ndarray) -> np.ndarray:
    """RGBA uint8 -> RGB uint8 composited over black."""
    alpha = rgba[:, :, 3:4].astype(np.uint16)
    rgb = (rgba[:, :, :3].astype(np.uint16) * alpha + 127) // 255
    return np.ascontiguousarray(rgb.astype(np.uint8))


def rescale_to_uint8(arr: np.ndarray) -> np.ndarray:
    """Any numeric array -> uint8 over its finite min..max (non-finite: the minimum)."""
    finite = np.isfinite(arr)
    if not finite.any():
        return np.zeros(arr.shape, np.uint8)
    lo, hi = float(arr[finite].min()), float(arr[finite].max())
    if hi <= lo:
        return np.zeros(arr.shape, np.uint8)
    out = (np.where(finite, arr, lo) - lo) * (255.0 / (hi - lo))
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
