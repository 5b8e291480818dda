"""RGBA -> RGB over black: bit-identical to the former uint16 whole-image blend, in a fraction of its
memory (numpy's peak allocation per pixel, measured with tracemalloc, which counts numpy buffers
and Python bytes but not Pillow's own image memory).

Before the banded blend a 48 MP RGBA PNG peaked at ~2 GB when opened: the whole-image uint16
temporaries of ``composite_over_black`` (about 20 bytes a pixel) plus the RGBA copy Pillow handed
numpy (4 bytes a pixel).
"""

from __future__ import annotations

import tracemalloc

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io.image_pixels import composite_over_black, pil_to_rgb


def _reference_composite(rgba: np.ndarray) -> np.ndarray:
    """The blend as it was (whole image in uint16): the expected output, bit for bit."""
    alpha = rgba[:, :, 3:4].astype(np.uint16)
    rgb = (rgba[:, :, :3].astype(np.uint16) * alpha + 127) // 255
    return np.ascontiguousarray(rgb.astype(np.uint8))


def _random_rgba(rng: np.random.Generator, h: int, w: int, dtype: type) -> np.ndarray:
    top = 256 if dtype is np.uint8 else 65536
    rgba = rng.integers(0, top, size=(h, w, 4), dtype=dtype)
    # the edges: alpha fully transparent and fully opaque, colours at 0 and at the top
    rgba[0, :, 3] = 0
    rgba[1, :, 3] = top - 1
    rgba[2, :, :3] = top - 1
    rgba[3, :, :3] = 0
    rgba[4, ::2, 3] = 0
    rgba[4, 1::2, 3] = top - 1
    return rgba


@pytest.mark.parametrize("shape", [(7, 5), (300, 1001), (1, 1), (1500, 3)])
def test_blend_is_bit_identical_for_8_bit(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    h, w = shape
    rgba = _random_rgba(rng, max(h, 5), w, np.uint8)[:h] if h >= 5 else rng.integers(
        0, 256, size=(h, w, 4), dtype=np.uint8)
    out = composite_over_black(rgba)
    expected = _reference_composite(rgba)
    assert out.dtype == np.uint8 and out.shape == (h, w, 3) and out.flags.c_contiguous
    np.testing.assert_array_equal(out, expected)


def test_blend_every_colour_alpha_pair() -> None:
    """All 256 x 256 (colour, alpha) pairs give the former rounding, (c * a + 127) // 255."""
    c, a = np.meshgrid(np.arange(256, dtype=np.uint8), np.arange(256, dtype=np.uint8), indexing="ij")
    rgba = np.dstack([c, c, c, a])
    np.testing.assert_array_equal(composite_over_black(rgba), _reference_composite(rgba))


@pytest.mark.parametrize("shape", [(300, 1001), (6, 7)])
def test_blend_of_16_bit_samples_matches_their_high_byte(shape: tuple[int, int]) -> None:
    """16-bit RGBA keeps its high byte (v >> 8) and is then blended as 8-bit was."""
    rgba16 = _random_rgba(np.random.default_rng(7), *shape, np.uint16)
    expected = _reference_composite((rgba16 >> 8).astype(np.uint8))
    np.testing.assert_array_equal(composite_over_black(rgba16), expected)


def test_blend_of_bgra_matches_rgba() -> None:
    """OpenCV's channel order (BGRA) gives the same RGB, for 8- and 16-bit samples."""
    for dtype in (np.uint8, np.uint16):
        rgba = _random_rgba(np.random.default_rng(3), 40, 33, dtype)
        bgra = np.ascontiguousarray(rgba[:, :, [2, 1, 0, 3]])
        np.testing.assert_array_equal(composite_over_black(bgra, bgr=True), composite_over_black(rgba))


def test_pillow_rgba_and_la_images_are_bit_identical() -> None:
    rng = np.random.default_rng(11)
    rgba = _random_rgba(rng, 260, 517, np.uint8)
    rgb, bits, had_alpha = pil_to_rgb(Image.fromarray(rgba, "RGBA"))
    np.testing.assert_array_equal(rgb, _reference_composite(rgba))
    assert (bits, had_alpha) == (8, True)
    la = rgba[:, :, [0, 3]]
    rgb, _, _ = pil_to_rgb(Image.fromarray(la, "LA"))
    np.testing.assert_array_equal(rgb, _reference_composite(la[:, :, [0, 0, 0, 1]]))


def _peak_bytes_per_pixel(fn, pixels: int) -> float:  # noqa: ANN001 - any no-argument callable
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / pixels


# 12 MP: large enough that the bands' fixed few MB weigh under 1 byte a pixel.
_H, _W = 3000, 4000


def test_blend_peak_is_its_output_plus_a_band() -> None:
    """The RGB output (3 bytes a pixel) and one band of temporaries; the former whole-image blend
    peaked at ~20 bytes a pixel (uint16 alpha, uint16 RGB and its arithmetic copies)."""
    rgba = np.random.default_rng(1).integers(0, 256, size=(_H, _W, 4), dtype=np.uint8)
    per_pixel = _peak_bytes_per_pixel(lambda: composite_over_black(rgba), _H * _W)
    assert per_pixel < 3.6, f"peak {per_pixel:.2f} bytes a pixel"


def test_pillow_rgba_peak_has_no_whole_rgba_copy() -> None:
    """Opening an RGBA image: no numpy (or bytes) copy of the whole RGBA raster either."""
    rgba = np.random.default_rng(2).integers(0, 256, size=(_H, _W, 4), dtype=np.uint8)
    im = Image.fromarray(rgba, "RGBA")
    del rgba
    per_pixel = _peak_bytes_per_pixel(lambda: pil_to_rgb(im), _H * _W)
    assert per_pixel < 3.6, f"peak {per_pixel:.2f} bytes a pixel"


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_16_bit_rgba_files_by_either_decoder(tmp_path, ext: str) -> None:  # noqa: ANN001
    """A 16-bit RGBA file: read_image (Pillow) and the OpenCV fallback give the former blend of
    its high bytes."""
    from fosp_core.io.images import _opencv_decode, read_image

    rgba16 = _random_rgba(np.random.default_rng(5), 37, 29, np.uint16)
    path = tmp_path / f"a16{ext}"
    cv2.imwrite(str(path), rgba16[:, :, [2, 1, 0, 3]])  # OpenCV writes BGRA
    expected = _reference_composite((rgba16 >> 8).astype(np.uint8))
    loaded = read_image(path)
    assert (loaded.bit_depth, loaded.had_alpha) == (16, True)
    np.testing.assert_array_equal(loaded.rgb, expected)
    by_opencv = _opencv_decode(path, path.read_bytes())
    assert by_opencv is not None and (by_opencv.bit_depth, by_opencv.had_alpha) == (16, True)
    np.testing.assert_array_equal(by_opencv.rgb, expected)
