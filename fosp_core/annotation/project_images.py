"""An annotation project's images as read: which there are and where each one's files are
(`ProjectImages`, the base of `fosp_core.annotation.project.Project`; see that module for the layout).

Everything here only reads: the entries in project order and, per image, the paths of its image,
mask, stored prediction and reference label and the arrays saved there. Saving is the open
project's (`Project`); `fosp_core.annotation.project_documents.read_document` builds a document
from what this class reads, without needing the whole project.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.entries import ImageEntry
from fosp_core.io.long_names import fits
from fosp_core.io.masks import read_mask

__all__ = ["ProjectImages"]


class ProjectImages:
    """The images of a project folder (``.fosp``): `entries` (`ImageEntry`, project order), their
    `ids`, and where each image's files are. `images_root`: where the entries' image and label paths
    are relative to (the header's ``images_root``, relative to `folder` when not absolute)."""

    def __init__(self, folder: Path, images_root: str, entries: list[ImageEntry]) -> None:
        self.folder = folder
        self.entries = entries
        self._index = {e.id: i for i, e in enumerate(entries)}
        root = Path(images_root)
        self.images_root = root if root.is_absolute() else (folder / root).resolve()

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def entry(self, image_id: str) -> ImageEntry:
        try:
            return self.entries[self._index[image_id]]
        except KeyError:
            raise KeyError(f"no image {image_id!r} in the project {self.folder}") from None

    def image_path(self, image_id: str) -> Path:
        return self.images_root / self.entry(image_id).image

    def mask_path(self, image_id: str) -> Path:
        return self.folder / "masks" / f"{image_id}.png"

    def prediction_path(self, image_id: str) -> Path:
        return self.folder / "predictions" / f"{image_id}.png"

    def label_path(self, image_id: str) -> Path | None:
        label = self.entry(image_id).label
        return None if label is None else self.images_root / label

    def load_mask(self, image_id: str) -> np.ndarray | None:
        """The saved mask (uint8 (H, W) 0/1/255) or None when the image has none yet (or a name too long
        for a mask file: none can be saved, which its save tells)."""
        path = self.mask_path(image_id)
        return read_mask(path) if _present(path) else None

    def load_label(self, image_id: str) -> np.ndarray | None:
        """The reference mask from the source dataset, or None."""
        path = self.label_path(image_id)
        return read_mask(path) if path is not None and path.is_file() else None

    def load_probability(self, image_id: str) -> np.ndarray | None:
        """The stored probability map (float32 (H, W), 1/255 steps) or None."""
        path = self.prediction_path(image_id)
        if not _present(path):
            return None
        data = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        return None if data is None else data.astype(np.float32) / 255.0


def _present(path: Path) -> bool:
    """Whether the project's file `path` is there; False for a name too long to be a file's (an image named
    near the limit: ``a.jpeg`` beside ``a.png`` gets the id ``a_jpeg``), which `Path.is_file` raises for."""
    return fits(path.name) and path.is_file()
