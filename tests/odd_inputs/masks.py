"""Odd mask files to import beside a 64x48 image: ``MASKS``, kind -> ``Odd``; "ok" ones import as
`mask01()`, the others are refused with the word given."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from tests.odd_inputs.images import H, Odd, W, cv2_write, text_as_jpg, truncated


def _mask01() -> np.ndarray:
    m = np.zeros((H, W), np.uint8)
    m[10:30, 20:50] = 1
    return m


def _mask_file(name: str, arr: np.ndarray) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        if arr.dtype == np.uint16:
            return cv2_write(folder, name, arr)
        path = folder / name
        Image.fromarray(arr).save(path)
        return path
    return make


def _palette_mask(folder: Path) -> Path:
    im = Image.fromarray(_mask01(), "L").convert("P")
    im.putpalette([0, 0, 0, 128, 0, 0] + [0, 0, 0] * 254)  # VOC / SmokeSeg: 0 black, 1 dark red
    path = folder / "palette.png"
    im.save(path)
    return path


def _mask_with_alpha(folder: Path) -> Path:
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[_mask01() > 0, :3] = 255
    path = folder / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def _jpeg_mask(folder: Path) -> Path:
    """A 0/255 mask saved as JPEG (grey ringing at the edges) under a .png name: read as a soft mask."""
    path = folder / "jpeg_mask.png"
    Image.fromarray(_mask01() * 255).save(path, "JPEG", quality=90)
    return path


def _palette_multiclass(folder: Path) -> Path:
    """A VOC palette mask with a third class (index 2) beside smoke."""
    arr = _mask01()
    arr[0:5, 0:5] = 2
    im = Image.fromarray(arr, "L").convert("P")
    im.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0] + [0, 0, 0] * 253)
    path = folder / "classes.png"
    im.save(path)
    return path


def _two_colours() -> np.ndarray:
    rgb = np.zeros((H, W, 3), np.uint8)
    rgb[_mask01() > 0] = (255, 0, 0)
    rgb[0:5, 0:5] = (0, 255, 0)
    return rgb


def mask01() -> np.ndarray:
    """The mask every "ok" kind of MASKS holds: 0/1 uint8 (H, W), a 30x20 rectangle of 1."""
    return _mask01()


#: Mask files for a 64x48 image (W x H): kind -> Odd; "ok" ones import as `mask01()`,
#: the others are refused with the word given.
MASKS: dict[str, Odd] = {
    "values_0_1": Odd(_mask_file("m01.png", _mask01())),
    "values_0_255": Odd(_mask_file("m255.png", _mask01() * 255)),
    "palette": Odd(_palette_mask),
    "rgb": Odd(_mask_file("rgb.png", np.repeat((_mask01() * 255)[..., None], 3, axis=2))),
    "gray16": Odd(_mask_file("m16.png", _mask01().astype(np.uint16) * 65535)),
    "alpha": Odd(_mask_with_alpha),
    "wrong_size": Odd(_mask_file("small.png", np.zeros((10, 10), np.uint8)), "is 10x10, the image is 64x48"),  # width x height
    "truncated": Odd(truncated("cut_mask.png", "PNG"), "truncated"),
    "text": Odd(text_as_jpg, "cannot decode"),
    "soft_0_200": Odd(_mask_file("soft.png", _mask01() * 200)),
    "jpeg_damaged": Odd(_jpeg_mask),
    "class_indices_0_1_2": Odd(_mask_file("idx.png", _mask01() + np.eye(H, W, dtype=np.uint8) * 2),
                               "no pixel would be smoke"),
    "palette_multiclass": Odd(_palette_multiclass, "palette indices [2]"),
    "rgb_two_colours": Odd(_mask_file("two.png", _two_colours()), "2 colours besides black"),
}


