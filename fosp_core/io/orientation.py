"""Words for a mask that fits an image's unturned picture: a phone photo stored 4032x3024 and shown turned
by its EXIF orientation (3024x4032, as every viewer and FoSp Studio show it), labelled by a tool that
ignores EXIF. The size check alone says "mask is 4032x3024, the image is 3024x4032", which the user,
whose file manager may say 4032x3024, cannot act on; :func:`unturned_note` says what happened."""

from __future__ import annotations

import os

from PIL import Image

from fosp_core.io.images import exif_orientation

__all__ = ["unturned_note"]

_QUARTER_TURNS = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def _stored(image: str | os.PathLike) -> tuple[int, int, int] | None:
    """(stored width, stored height, EXIF orientation) from the header; None when unreadable."""
    try:
        with Image.open(image) as im:
            return im.width, im.height, exif_orientation(im)  # malformed EXIF: 1, as the reader reads it
    except Exception:
        return None


def unturned_note(image: str | os.PathLike, mask_size: tuple[int, int]) -> str:
    """"; the image file is stored 64x48 and shown turned (EXIF orientation 6): this mask fits the unturned
    picture (drawn by a tool that ignores EXIF?); turn the mask to the shown orientation, or save the image
    upright" when the mask's (width, height) `mask_size` is the stored size of an `image` whose EXIF
    orientation swaps its sides; "" otherwise (append it to a size mismatch's message)."""
    found = _stored(image)
    if found is None:
        return ""
    width, height, orientation = found
    if orientation not in _QUARTER_TURNS or tuple(mask_size) != (width, height) or width == height:
        return ""
    return (f"; the image file is stored {width}x{height} and shown turned (EXIF orientation {orientation}): "
            "this mask fits the unturned picture (drawn by a tool that ignores EXIF?); turn the mask to the "
            "shown orientation, or save the image upright")
