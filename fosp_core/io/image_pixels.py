"""Decoded pixels of any layout to RGB uint8 HxWx3: Pillow's modes and OpenCV's arrays.

16-bit samples keep their high byte (``v >> 8``); 32-bit integer / float samples are rescaled from
their own finite min..max; grayscale is replicated to three channels, palettes expanded; alpha is
composited over black (``rgb * alpha``), a band of rows at a time in uint16 (the output and one
band of temporaries: a 48 MP RGBA PNG no longer peaks at ~2 GB).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["BAND_PIXELS", "composite_over_black", "gray_to_rgb", "pil_to_rgb", "rescale_to_uint8"]

# Pixels blended per band of rows (the band's uint16 temporaries: 6 bytes a pixel, ~1.5 MB).
BAND_PIXELS = 1 << 18

_ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")


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
        if "transparency" in im.info:
            return _composite_pil_over_black(im), 8, True
        return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8)), 8, False
    if mode in _ALPHA_MODES:
        return _composite_pil_over_black(im), 8, True
    # CMYK, YCbCr, LAB, HSV, ... : let Pillow do the colour conversion.
    return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8)), 8, False


def gray_to_rgb(g: np.ndarray) -> np.ndarray:
    """HxW -> HxWx3, C-contiguous."""
    return np.ascontiguousarray(np.repeat(g[:, :, None], 3, axis=2))


def composite_over_black(rgba: np.ndarray, *, bgr: bool = False) -> np.ndarray:
    """RGBA HxWx4 uint8 or uint16 -> RGB HxWx3 uint8 composited over black, C-contiguous.

    Each colour is ``(c * a + 127) // 255`` on 8-bit samples (16-bit samples keep their high byte,
    ``v >> 8``, first), computed in uint16 a band of rows at a time: the peak is the output plus
    one band's temporaries, not whole-image uint16 copies.
    bgr: the colours are in OpenCV's order (BGRA); the output is RGB all the same.
    """
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"expected an HxWx4 array, got shape {rgba.shape}")
    if rgba.dtype not in (np.uint8, np.uint16):
        raise TypeError(f"expected uint8 or uint16 samples, got {rgba.dtype}")
    h, w = rgba.shape[:2]
    out = np.empty((h, w, 3), np.uint8)
    rows = _band_rows(w)
    scratch = np.empty((min(rows, h), w, 3), np.uint16)
    for y0 in range(0, h, rows):
        band = rgba[y0:y0 + rows]
        _blend_band(band, scratch[:band.shape[0]], out[y0:y0 + band.shape[0]], bgr)
    return out


def _band_rows(width: int) -> int:
    return max(1, BAND_PIXELS // max(1, width))


def _blend_band(band: np.ndarray, scratch: np.ndarray, out: np.ndarray, bgr: bool) -> None:
    """One band of `composite_over_black`: `scratch` (uint16, the band's shape) is overwritten."""
    colour = band[:, :, 2::-1] if bgr else band[:, :, :3]
    alpha = band[:, :, 3:4]
    if band.dtype == np.uint16:
        np.right_shift(colour, 8, out=scratch)
        np.multiply(scratch, alpha >> 8, out=scratch)  # <= 255 * 255: no overflow
    else:
        np.multiply(colour, alpha, out=scratch, dtype=np.uint16)
    scratch += 127
    np.floor_divide(scratch, 255, out=scratch)
    np.copyto(out, scratch, casting="unsafe")  # every value is <= 255


def _composite_pil_over_black(im: Image.Image) -> np.ndarray:
    """A Pillow image with alpha (or a palette with transparency) -> RGB uint8 over black, a band
    of rows at a time: no whole-image RGBA copy in numpy nor in Pillow."""
    w, h = im.size
    out = np.empty((h, w, 3), np.uint8)
    rows = _band_rows(w)
    scratch = np.empty((min(rows, h), w, 3), np.uint16)
    for y0 in range(0, h, rows):
        y1 = min(h, y0 + rows)
        band_im = im.crop((0, y0, w, y1))
        if band_im.mode != "RGBA":
            band_im = band_im.convert("RGBA")
        band = np.asarray(band_im, dtype=np.uint8)
        _blend_band(band, scratch[:y1 - y0], out[y0:y1], bgr=False)
    return out


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
