"""One random edit of an annotation document, for the save-path fuzz tests: a brush, erase or ignore
stroke of three points (drawn from `rng` within 5 px of the mask), undo, redo, Accept (the mask
replaced by `label`) or a status change; any other `op` draws its points and does nothing (the
caller's own step, e.g. reopening the document)."""

from __future__ import annotations

import numpy as np

from fosp_core.annotation import tools
from fosp_core.annotation.document import AnnotationDocument


def random_edit(doc: AnnotationDocument, op: str, rng: np.random.Generator, label: np.ndarray) -> None:
    """Apply `op` to `doc` (see the module doc)."""
    h, w = doc.shape
    points = [(float(rng.uniform(-5, w + 5)), float(rng.uniform(-5, h + 5))) for _ in range(3)]
    if op == "brush":
        tools.brush(doc, points, float(rng.uniform(1, 9)))
    elif op == "erase":
        tools.erase(doc, points, float(rng.uniform(1, 9)))
    elif op == "ignore":
        tools.brush(doc, points, float(rng.uniform(1, 5)), value=255)
    elif op == "undo":
        doc.undo()
    elif op == "redo":
        doc.redo()
    elif op == "accept":
        doc.replace_mask(label)
    elif op == "status":
        doc.set_status(str(rng.choice(["edited", "reviewed"])))
