"""What the import functions use of an annotation project (`ImportTarget`): the few parts of
`fosp_core.annotation.project.Project` that `project_import`, `foreign_import` and `import_loop` touch, in a
module of its own so that none of them imports another for its type."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry

__all__ = ["ImportTarget"]


class ImportTarget(Protocol):
    """What the import functions use of a project (`fosp_core.annotation.project.Project`)."""

    entries: list[ImageEntry]
    images_root: Path

    def check_writable(self) -> None: ...

    def entry(self, image_id: str) -> ImageEntry: ...

    def flush_image(self, image_id: str) -> None: ...

    def image_path(self, image_id: str) -> Path: ...

    def prediction_path(self, image_id: str) -> Path: ...

    def mask_path(self, image_id: str) -> Path: ...

    def load_label(self, image_id: str) -> np.ndarray | None: ...

    def save_mask(self, image_id: str, mask: np.ndarray, status: Status | str | None = None) -> None: ...

    def record_state(self, entry: ImageEntry, *, durable: bool = True) -> None: ...

    def note_state(self, entry: ImageEntry, *, durable: bool = False) -> bool: ...

    def batch(self) -> AbstractContextManager[object]: ...
