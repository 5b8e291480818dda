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
from fosp_core.annotation.history import union_rect

if TYPE_CHECKING:
    from app.analysis.overlays import LayerOverlays
    from app.video.frame_layer_parts import VideoParts
    from fosp_core.annotation.document import AnnotationDocument, Commit, DocumentEvent
    from fosp_core.annotation.history import Rect

__all__ = ["LABEL_LAYERS", "TRUTH_NOTE", "FrameTruth", "put_label_layers"]

#: The layers made of the painted mask.
LABEL_LAYERS = ("ground truth", "error map")
#: What the Video panel's line on the layers adds while they are shown.
TRUTH_NOTE = "ground truth: the painted mask"


class FrameTruth:
    """Follows the shown frame's mask document for :class:`~app.video.frame_layers.FrameLayers`. `label`:
    the painted mask compared (the document's own array: uint8 (H, W), 0/1/255), None when the frame has
    none; `codes`: its :func:`~fosp_core.analysis.results.error_codes`. `changed` is called after a commit
    on the frame followed (the label may have come or gone). A commit remakes the label layers in the
    rectangle it changed only (a whole 12 MP frame's were 53 ms under load: bench/bench_video_commit_save.py)."""

    def __init__(self, mode: VideoParts, changed: Callable[[], None]) -> None:
        self.mode = mode
        self.changed = changed
        self.doc: AnnotationDocument | None = None
        self.index: int | None = None
        self.shape: tuple[int, int] | None = None
        self.label: np.ndarray | None = None
        self.codes: np.ndarray | None = None
        self._layers: dict[str, np.ndarray] = {}  # "ground truth", "error map": arrays of their own
        self._predicted: np.ndarray | None = None  # the prediction mask the error map compares with
        self._dirty: Rect | None = None  # changed in the document since its last commit
        self._since: Rect | None = None  # the label layers changed there only since take_changed ...
        self._whole = True  # ... or made whole
        #: commits on the followed frame that remade its label layers (tests count them), and the pixels
        #: they remade
        self.updates = 0
        self.remade_pixels = 0

    def follow(self, index: int, shape: tuple[int, int]) -> np.ndarray | None:
        """Follow frame `index`'s document (the one lent to the tools, when that frame is the one shown;
        a stand-in of the view may have none) whose prediction is of `shape` (H, W); returns its label."""
        self.unfollow()
        doc = getattr(self.mode, "document", None)
        if doc is not None and self.mode.index == index:
            self.doc, self.index, self.shape = doc, index, (int(shape[0]), int(shape[1]))
            doc.committed.connect(self._on_commit)
            doc.events.connect(self._on_event)
        self._read()
        return self.label

    def unfollow(self) -> None:
        """No frame followed (its layers cleared, the video closed)."""
        if self.doc is not None:
            self.doc.committed.disconnect(self._on_commit)
            self.doc.events.disconnect(self._on_event)
        self.doc = self.index = self.shape = self._dirty = self._predicted = None
        self._whole = True
        self.label = self.codes = None
        self._layers = {}

    def _has_label(self) -> bool:
        notes, doc = getattr(self.mode, "annotations", None), self.doc
        return doc is not None and notes is not None and self.index is not None and notes.has_mask(self.index) \
            and doc.shape == self.shape

    def _read(self) -> None:
        self._whole = True
        if not self._has_label():
            self.label = self.codes = None
            self._layers = {}
            return
        assert self.doc is not None
        self.label, self.codes = self.doc.mask, error_codes(self.doc.mask)
        self._layers = {}
        if self._predicted is not None:
            self.arrays(self._predicted)

    def _on_event(self, event: DocumentEvent) -> None:
        if event.kind == "mask" and event.rect is not None:
            self._dirty = union_rect(self._dirty, event.rect)

    def _on_commit(self, _commit: Commit) -> None:
        rect, self._dirty = self._dirty, None
        had = self.label is not None and bool(self._layers)
        if not had or rect is None or not self._has_label():
            self._read()  # after the timeline's own handler (connected first): the frame's saved mark is current
            self.remade_pixels += 0 if self.label is None else self.label.size
        else:  # the same label array: only the rectangle the commit changed
            assert self.label is not None and self.codes is not None
            y0, y1, x0, x1 = rect
            label = self.label[y0:y1, x0:x1]
            self.codes[y0:y1, x0:x1] = error_codes(label)
            self._layers["ground truth"][y0:y1, x0:x1] = label == 1
            if "error map" in self._layers and self._predicted is not None:
                self._layers["error map"][y0:y1, x0:x1] = error_map(
                    self._predicted[y0:y1, x0:x1], label, self.codes[y0:y1, x0:x1])
            self.remade_pixels += label.size
            self._since = union_rect(self._since, rect)
        self.updates += 1
        self.changed()

    def arrays(self, prediction_mask: np.ndarray | None) -> dict[str, np.ndarray]:
        """The label layers against `prediction_mask` (bool/uint8 (H, W), the one shown: a threshold move
        gives another), made whole; {} without a label."""
        self._predicted = prediction_mask if isinstance(prediction_mask, np.ndarray) else None
        self._whole = True
        if self.label is None or self.codes is None:
            self._layers = {}
            return {}
        self._layers = {"ground truth": self.label == 1}
        if self._predicted is not None and self._predicted.shape == self.label.shape:
            self._layers["error map"] = error_map(self._predicted, self.label, self.codes)
        else:
            self._predicted = None
        return dict(self._layers)

    def layers(self) -> dict[str, np.ndarray]:
        """The label layers as the last commit left them ({} without a label)."""
        return dict(self._layers)

    def take_changed(self) -> Rect | None:
        """The rectangle (y0, y1, x0, x1) the label layers' arrays (the same objects) changed in, in
        place, since the last call; None when they were made whole meanwhile (or nothing changed)."""
        rect = None if self._whole else self._since
        self._since, self._whole = None, False
        return rect


def put_label_layers(overlays: LayerOverlays, fresh: dict[str, np.ndarray], rect: Rect | None = None) -> None:
    """The label layers `fresh` (some of LABEL_LAYERS; those absent are taken away) into `overlays`, the
    other layers left as drawn: a visible one drawn again, a hidden one drawn when shown (as
    ``LayerOverlays.refresh_thresholded`` does for a threshold move). ``LayerOverlays.show`` would draw every
    visible layer again: the τ contour's outline alone took 235 ms of a 12 MP frame's 359 ms. `rect`
    (:meth:`FrameTruth.take_changed`): the arrays changed in place there only, the ground truth's outline
    traced again around it only (``LayerOverlays.put_layer``; a whole 12 MP frame's was ~40 ms)."""
    for name in LABEL_LAYERS:
        overlays.put_layer(name, fresh.get(name), rect)
