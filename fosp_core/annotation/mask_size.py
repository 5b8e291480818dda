"""A mask file of another size than its image: the image file was resized, cropped or replaced since
the mask was drawn. Opening the image raises `MaskSizeError`, worded for the annotator ("the image is
now 4000×3000; its mask was drawn on 2000×1500 ..."), the mask file's path named. Nothing is written:
the mask file stays as it was (no document opens, so no save can overwrite it); the words say what to
do with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.annotation.entries import ProjectError

__all__ = ["MaskSizeError", "size_words"]


def size_words(shape: tuple[int, ...]) -> str:
    """(H, W[, C]) -> "W×H"."""
    return f"{int(shape[1])}×{int(shape[0])}"


class MaskSizeError(ProjectError):
    """Image `image_shape` (H, W) and its mask file `path`, of `mask_shape` (H, W), differ in size."""

    def __init__(self, path: str | os.PathLike, mask_shape: tuple[int, ...], image_shape: tuple[int, ...]) -> None:
        self.mask_shape = (int(mask_shape[0]), int(mask_shape[1]))
        self.image_shape = (int(image_shape[0]), int(image_shape[1]))
        drawn, now = size_words(self.mask_shape), size_words(self.image_shape)
        super().__init__(path, (
            f"the image is now {now}; its mask was drawn on {drawn} (the image file was resized or replaced "
            f"since). The mask file is kept as it is, never overwritten: {Path(path)}. To annotate the image "
            f"at {now}, move that file out of its folder (the image then opens with no mask); to use the mask, "
            f"put back the {drawn} image"))

    def __str__(self) -> str:
        """The reason alone: it names the mask file already (a ProjectError's "<path>: <reason>" would
        say the path twice)."""
        return self.reason
