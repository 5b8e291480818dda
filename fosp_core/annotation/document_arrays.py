"""The workflow `Status` of an annotation document and the checks of the arrays it is given.

Kept apart from `fosp_core.annotation.document` (which re-exports `Status`): these are the values a
document accepts, the document itself is the editing and its history.
"""

from __future__ import annotations

import enum

import numpy as np

__all__ = ["Status", "checked_mask", "checked_probability"]


class Status(enum.StrEnum):
    """Where an image is in the annotation workflow (stored by value in project files)."""

    UNLABELED = "unlabeled"  # no mask yet
    PREDICTED = "predicted"  # mask comes from a model (the app's, or a model's labels imported as such), nobody edited it
    EDITED = "edited"  # a person made or changed the mask (imported labels by default)
    REVIEWED = "reviewed"  # a person marked the mask as checked


def checked_mask(array: np.ndarray, shape: tuple[int, int], what: str) -> np.ndarray:
    """`array` as uint8 (H, W) 0/1/255 of `shape` (not copied when it is already uint8); raises
    ValueError naming `what` when its shape differs or its values do not fit in uint8."""
    array = np.asarray(array)
    if array.shape != shape:
        raise ValueError(f"{what} is {array.shape}, the image is {shape}")
    if array.dtype != np.uint8:
        if array.dtype == bool or (np.issubdtype(array.dtype, np.integer) and array.min() >= 0
                                   and array.max() <= 255):
            array = array.astype(np.uint8)
        else:
            raise ValueError(f"{what} must be uint8 0/1/255, got {array.dtype}")
    return array


def checked_probability(probability: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """`probability` as float32 (H, W) of `shape` (uint8 read as round(255 p)); raises ValueError
    when its shape differs."""
    probability = np.asarray(probability)
    if probability.shape != shape:
        raise ValueError(f"probability is {probability.shape}, the image is {shape}")
    if probability.dtype == np.uint8:
        return probability.astype(np.float32) / 255.0
    return probability.astype(np.float32, copy=False)
