"""The painted mask of the video frame shown as its analysis layers' ground truth: the "ground truth" and
"error map" layers of the image view (same names, colours, legends and readout; :func:`~fosp_core.analysis.
layers.layer_arrays`), for a frame with a saved mask, compared with the prediction already shown and made
again at each commit on the frame (a stroke, undo/redo, accept prediction, carry): no model run.

What it means, against the image view: there "ground truth" is a reference file beside the image (a
dataset's ``SegmentationClass`` mask, `fosp_core.analysis.results.find_label`), which painting never
changes; a video frame has no such file, and its painted mask is what a SmokeSeg export of the video writes
as that frame's ``SegmentationClass`` mask, so it is the ground truth the image view shows for the exported
frame. The difference: here it is the annotator's own, work in progress, so the error map says where the
annotator and the model disagree, not how good the model is against an independent reference (a mask made
by Accept Prediction agrees with the prediction by construction). The Video panel's line on the layers says
so ("ground truth: the painted mask"). A frame without a saved mask (never edited) has neither layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.analysis.results import error_codes, error_map

if TYPE_CHECKING:
    from app.video.frame_layer_parts import VideoParts
    from fosp_core.annotation.document import AnnotationDocument, Commit

__all__ = ["LABEL_LAYERS", "TRUTH_NOTE", "FrameTruth"]

#: The layers made of the painted mask.
LABEL_LAYERS = ("ground truth", "error map")
#: What the Video panel's line on the layers adds while they are shown.
TRUTH_NOTE = "ground truth: the painted mask"


class FrameTruth:
    """Follows the shown frame's mask document for :class:`~app.video.frame_layers.FrameLayers`. `label`:
    the painted mask compared (the document's own array: uint8 (H, W), 0/1/255), None when the frame has
    none; `codes`: its :func:`~fosp_core.analysis.results.error_codes`. `changed` is called after a commit
    on the frame followed (the label may have come or gone)."""

    def __init__(self, mode: VideoParts, changed: Callable[[], None]) -> None:
        self.mode = mode
        self.changed = changed
        self.doc: AnnotationDocument | None = None
        self.index: int | None = None
        self.shape: tuple[int, int] | None = None
        self.label: np.ndarray | None = None
        self.codes: np.ndarray | None = None
        #: commits on the followed frame that remade its label layers (tests count them)
        self.updates = 0

    def follow(self, index: int, shape: tuple[int, int]) -> np.ndarray | None:
        """Follow frame `index`'s document (the one lent to the tools, when that frame is the one shown)
        whose prediction is of `shape` (H, W); returns its label (None: none)."""
        self.unfollow()
        doc = getattr(self.mode, "document", None)
        if doc is not None and self.mode.index == index:
            self.doc, self.index, self.shape = doc, index, (int(shape[0]), int(shape[1]))
            doc.committed.connect(self._on_commit)
        self._read()
        return self.label

    def unfollow(self) -> None:
        """No frame followed (its layers cleared, the video closed)."""
        if self.doc is not None:
            self.doc.committed.disconnect(self._on_commit)
        self.doc = self.index = self.shape = None
        self.label = self.codes = None

    def _read(self) -> None:
        notes, doc = getattr(self.mode, "annotations", None), self.doc
        if doc is None or notes is None or self.index is None or not notes.has_mask(self.index) \
                or doc.shape != self.shape:
            self.label = self.codes = None
            return
        self.label, self.codes = doc.mask, error_codes(doc.mask)

    def _on_commit(self, _commit: Commit) -> None:
        self._read()  # after the timeline's own handler (connected first): the frame's saved mark is current
        self.updates += 1
        self.changed()

    def arrays(self, prediction_mask: np.ndarray | None) -> dict[str, np.ndarray]:
        """The label layers against `prediction_mask` (bool/uint8 (H, W)), {} without a label."""
        if self.label is None or self.codes is None:
            return {}
        out = {"ground truth": self.label == 1}
        if isinstance(prediction_mask, np.ndarray) and prediction_mask.shape == self.label.shape:
            out["error map"] = error_map(prediction_mask, self.label, self.codes)
        return out
