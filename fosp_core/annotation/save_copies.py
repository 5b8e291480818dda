"""The mask a background save writes, made on the save thread (`fosp_core.annotation.mask_saves`)
from what the commit handed over: a whole copy of the document's mask, or only the pixels of the
rectangle the commit changed, applied onto the save thread's own copy of the image's mask.

The committing (GUI) thread copies the rectangle (`MaskParts` with patches) when the save thread's
copy of the image is known to hold the mask as the image's previous record left it: the same
rectangle the recovery log keeps (`fosp_core.annotation.recovery`), whose pixels applied over that
state give the commit's mask, as they do when the log is applied over the mask file at an opening.
Else (the first commit of a document, another image saved since) it copies the whole mask. Jobs of
one image run in commit order and a coalesced job keeps the patches of the job it replaced
(`MaskParts.then`), so each job's mask is its commit's. The save thread's copies are its own (no
other thread writes them) and it keeps the copy of one image only (`SavedCopies.keep`), the one
whose whole mask was handed over last: one mask's memory (48 / 96 MB at 48 / 96 MP) held between
saves, where each save held a copy of its own before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from fosp_core.annotation.history import Rect

__all__ = ["MaskParts", "SavedCopies"]


@dataclass
class MaskParts:
    """What a save's mask is made of: `base`, a private whole copy (None: the save thread's copy of
    the image as its previous save left it), then `patches` (rectangle, its pixels: private
    copies) applied in order."""

    base: np.ndarray | None
    patches: list[tuple[Rect, np.ndarray]] = field(default_factory=list)

    def then(self, later: MaskParts) -> MaskParts:
        """These parts followed by `later`'s (a coalesced save: `later` replaces this one's job)."""
        if later.base is not None:
            return later
        return MaskParts(self.base, self.patches + later.patches)


class SavedCopies:
    """The save thread's copy of each image's mask, as its last save made it (save thread only,
    except `keep`, set under the saver's lock)."""

    def __init__(self) -> None:
        self._masks: dict[str, np.ndarray] = {}
        #: the only image whose copy stays once no save of it waits or runs
        self.keep: str | None = None

    def make(self, image_id: str, parts: MaskParts) -> np.ndarray:
        """The mask of a save of `image_id` made of `parts`, which becomes the image's copy.
        Raises KeyError when `parts` needs a copy there is none of (a bug: told as a failed save)."""
        mask = parts.base if parts.base is not None else self._masks[image_id]
        for (y0, y1, x0, x1), pixels in parts.patches:
            mask[y0:y1, x0:x1] = pixels
        self._masks[image_id] = mask
        return mask

    def forget(self, image_id: str) -> None:
        """Let go of `image_id`'s copy (one a failed `make` may have left patched in part)."""
        self._masks.pop(image_id, None)

    def drop_idle(self, busy: Callable[[str], bool]) -> None:
        """Let go of the copies of images other than `keep` none of whose saves waits or runs."""
        for image_id in [i for i in self._masks if i != self.keep and not busy(i)]:
            del self._masks[image_id]

    def held(self) -> list[str]:
        """The images whose copy is held (for tests)."""
        return list(self._masks)
