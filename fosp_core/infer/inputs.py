"""What a predictor takes as an image, and the errors that say how to make one.

`Predictor.predict` / `predict_batch` (and `fosp_core.predict`) take:

- a numpy array, **RGB uint8**, shape (H, W, 3); grayscale (H, W) or (H, W, 1) is replicated to
  three channels. Colour order is RGB: an OpenCV ``cv2.imread`` array is BGR, pass
  ``img[..., ::-1]`` (or ``cv2.cvtColor(img, cv2.COLOR_BGR2RGB)``);
- a Pillow image (any mode: converted as `fosp_core.io.images.read_image` converts a file's pixels:
  16-bit keeps the high byte, alpha is composited over black, palettes are expanded);
- a file path (``str`` or ``os.PathLike``): read with `fosp_core.io.images.read_image` (EXIF
  orientation applied; an unreadable file raises `fosp_core.io.images.ImageReadError`).

Anything else raises ValueError (NotAnImageError, also a TypeError, for what is no image at all)
naming the fix.
Arrays that need a choice of scale (uint16, float, RGBA, other integers) are refused rather than
guessed; `as_rgb` converts them explicitly by the rules in its docstring.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

__all__ = ["ImageInput", "NotAnImageError", "as_rgb", "check_image", "input_rgb"]


class NotAnImageError(TypeError, ValueError):
    """What was given is no image at all (None, a number, a list given as one image). A ValueError
    too: callers that caught check_image's ValueError for a non-array still catch it."""

#: What the predictors accept as one image (see the module docstring).
ImageInput = Any  # np.ndarray | PIL.Image.Image | str | os.PathLike[str]

_AS_RGB = "fosp_core.infer.as_rgb(image) converts it"


def _is_pil(obj: object) -> bool:
    return any(c.__module__.startswith("PIL.") and c.__name__ == "Image" for c in type(obj).__mro__)


def _shape_error(arr: np.ndarray) -> ValueError:
    shape = tuple(arr.shape)
    if arr.ndim == 4:
        return ValueError(f"expected one RGB image (H, W, 3), got a batch {shape}: pass a list of images "
                          f"to predict_batch(list(images))")
    if arr.ndim == 3 and arr.shape[0] in (1, 3, 4) and arr.shape[2] not in (1, 3, 4):
        return ValueError(f"expected an RGB image of shape (H, W, 3), got {shape}, which looks channels-first "
                          f"(C, H, W): pass image.transpose(1, 2, 0)")
    if arr.ndim == 3 and arr.shape[2] == 4:
        return ValueError(f"expected an RGB image of shape (H, W, 3), got {shape} (RGBA?): drop the alpha "
                          f"channel (image[..., :3]), or {_AS_RGB} (alpha composited over black)")
    return ValueError(f"expected an RGB image of shape (H, W, 3) or grayscale (H, W), got {shape}")


def _dtype_error(arr: np.ndarray) -> ValueError:
    if arr.dtype == np.uint16:
        how = "scale it: (image >> 8).astype(np.uint8), or " + _AS_RGB
    elif arr.dtype.kind == "f":
        how = "(image * 255).round().astype(np.uint8) for values in [0, 1], or " + _AS_RGB
    else:
        how = _AS_RGB
    return ValueError(f"expected uint8 RGB, got {arr.dtype}: {how}")


def check_image(rgb: np.ndarray) -> np.ndarray:
    """Validate an RGB uint8 array: (H, W, 3) returned as it is, grayscale (H, W) or (H, W, 1)
    replicated to (H, W, 3). ValueError naming the fix (a PIL image or a path: `input_rgb` reads
    them; other dtypes, RGBA, channels-first or a batch: the message says what to pass)."""
    if not isinstance(rgb, np.ndarray):
        if _is_pil(rgb) or isinstance(rgb, str | os.PathLike):
            what = "a PIL image" if _is_pil(rgb) else "a path"
            raise ValueError(f"expected a numpy array, got {what} ({type(rgb).__name__}): Predictor.predict "
                             f"takes it, or {_AS_RGB}")
        raise ValueError(f"expected a numpy array, got {type(rgb).__name__}: pass np.asarray(image) "
                         f"(RGB uint8, (H, W, 3))")
    if rgb.ndim == 3 and rgb.shape[2] == 1:
        rgb = rgb[:, :, 0]
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[:, :, None], 3, axis=2)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise _shape_error(rgb)
    if rgb.shape[0] == 0 or rgb.shape[1] == 0:
        raise ValueError(f"image has zero width or height: {rgb.shape}")
    if rgb.dtype != np.uint8:
        raise _dtype_error(rgb)
    return rgb


def input_rgb(image: ImageInput) -> np.ndarray:
    """RGB uint8 (H, W, 3) of one predictor input (see the module docstring): an array is checked
    (`check_image`), a Pillow image converted, a path read."""
    if isinstance(image, np.ndarray):
        return check_image(image)
    if _is_pil(image):
        from fosp_core.io.image_pixels import pil_to_rgb

        return check_image(pil_to_rgb(image)[0])
    if isinstance(image, str | os.PathLike):
        from fosp_core.io.images import read_image

        return read_image(image).rgb
    if isinstance(image, list | tuple):
        raise NotAnImageError(f"expected one image, got a {type(image).__name__}: use predict_batch() for several")
    raise NotAnImageError(f"expected an image (numpy array, PIL image or file path), got {type(image).__name__}")


def as_rgb(image: ImageInput) -> np.ndarray:
    """Convert an image to RGB uint8 (H, W, 3), C-contiguous; never returns a view of `image`'s
    data that the caller could change, except an RGB uint8 array given as it is.

    Rules for arrays (channels last, RGB order; a batch or channels-first array is refused):
      - uint8: grayscale (H, W) / (H, W, 1) replicated; RGBA (H, W, 4) composited over black;
      - bool: False 0, True 255;
      - uint16: the high byte (``v >> 8``), as a 16-bit file is read;
      - other integers: values must lie in 0..255;
      - float: values must lie in [0, 1] (scaled by 255 and rounded); NaN is refused.
    A Pillow image and a file path are converted as `input_rgb` does.
    Raises ValueError (NotAnImageError for what is no image) saying what was found.
    """
    if not isinstance(image, np.ndarray):
        return input_rgb(image)
    arr = image
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] in (3, 4))):
        raise _shape_error(arr)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * np.uint8(255)
    elif arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype.kind == "f":
        arr = _float_to_uint8(arr)
    elif arr.dtype.kind in "iu" and arr.dtype != np.uint8:
        lo, hi = (int(arr.min()), int(arr.max())) if arr.size else (0, 0)
        if lo < 0 or hi > 255:
            raise ValueError(f"{arr.dtype} image with values {lo}..{hi}: expected 0..255; scale it to uint8 first")
        arr = arr.astype(np.uint8)
    elif arr.dtype != np.uint8:
        raise ValueError(f"cannot read a {arr.dtype} array as an image (expected uint8, uint16, bool, int or float)")
    if arr.ndim == 3 and arr.shape[2] == 4:
        from fosp_core.io.image_pixels import composite_over_black

        arr = composite_over_black(np.ascontiguousarray(arr))
    return np.ascontiguousarray(check_image(arr))


def _float_to_uint8(arr: np.ndarray) -> np.ndarray:
    if arr.size == 0:
        return arr.astype(np.uint8)
    if not np.isfinite(arr).all():
        raise ValueError("float image holds NaN or infinite values")
    lo, hi = float(arr.min()), float(arr.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(f"float image with values {lo:g}..{hi:g}: expected [0, 1]; divide a 0..255 image "
                         f"by 255 (or cast it to uint8) first")
    return np.rint(arr * 255.0).astype(np.uint8)
