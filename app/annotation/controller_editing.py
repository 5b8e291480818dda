"""The annotation controller's editing side (`app.annotation.controller.AnnotationController` mixes it in):
the guard every tool and command passes (`editable`: a document is open, in a project, writable, with a
probability where the tool needs one; otherwise the status bar says why), a whole-image operation as one
undo step (`run`), Undo / Redo and the review status (Mark Reviewed toggles: on a reviewed image it
takes the mark off, back to the status the review replaced, `toggle_reviewed`), the polygon gestures'
Esc / Enter, and the whole-image commands of `app.annotation.commands`. R and Delete on a "dataset label only"
image whose label shows smoke say so (`tell_against_label`, `app.annotation.label_smoke_words`).

Split from the controller (which opens, shows, keeps and closes the documents) by responsibility; the
attributes it reads are the controller's, declared below for the reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject

from app.annotation import commands
from app.annotation.label_smoke_words import REVIEWED_AGAINST_LABEL, LabelSmoke, label_folder
from app.annotation.review_off import review_off_words
from app.annotation.status_words import has_dataset_label, short_status_words
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.tool_state import Tool

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.annotation.accept_worker import AcceptWorker
    from app.annotation.document_opening import DocumentOpening
    from app.annotation.gestures import ToolGestures
    from app.annotation.prediction_hint import PredictionHint
    from fosp_core.annotation.project import Project
    from fosp_core.annotation.tool_state import ToolState
    from fosp_core.session import ImageSession

__all__ = ["REVIEWED_SMOKE_FREE", "DocumentEditing", "holds_smoke"]

#: What Mark Reviewed says of an image whose mask holds no smoke (nothing labelled, a prediction not accepted):
#: the export takes it as a checked smoke-free image.
REVIEWED_SMOKE_FREE = ("{image}: reviewed with no smoke in its mask: exported as a smoke-free image "
                       "(Undo, or R again, takes the review back)")
_ROWS_PER_LOOK = 256  # rows of the mask looked at a time: a mask with smoke is answered before its end


def holds_smoke(mask: np.ndarray) -> bool:
    """Whether `mask` (H x W uint8: 0 background, 1 smoke, 255 ignore) has a smoke pixel; looked at a band
    of rows at a time, so that a 96 MP mask with smoke near its top is answered at once."""
    return any(bool((mask[top:top + _ROWS_PER_LOOK] == 1).any()) for top in range(0, mask.shape[0], _ROWS_PER_LOOK))


class DocumentEditing:
    """The editing guard, undo steps, review status, gestures' keys and whole-image commands of the
    annotation controller (see the module doc); the attributes below are the controller's."""

    document: AnnotationDocument | None
    project: Project | None
    attached_key: str | None
    attached_read_only: str | None
    state: ToolState
    gestures: ToolGestures
    accepting: AcceptWorker
    opening: DocumentOpening
    hint: PredictionHint
    message: SignalInstance
    session: ImageSession

    @property
    def attached(self) -> bool:
        """Whether an externally supplied document is being edited (see `attach_document`)."""
        return self.attached_key is not None

    # --- editing guards ------------------------------------------------------------------------
    @property
    def writable(self) -> bool:
        """A document is open and may be edited (an attached one or a project's, unless read-only)."""
        return self.document is not None and (not self.attached_read_only if self.attached else self.project is not None and not self.project.read_only)  # noqa: E501

    def why_not_editable(self) -> str | None:
        """Why the current document may not be edited now, in the words a stroke says (`editable`) and the
        editing keys say while their actions are off (`AnnotationActions.not_editable_why`); None when it may."""
        doc, project = self.document, self.project
        if doc is None and self.attached:
            return f"No mask to edit for {self.attached_key}"
        if doc is None or (project is None and not self.attached):
            if (waiting := self.opening.reading) is not None:  # a huge image's saved mask is being read
                return f"Reading the saved mask of {waiting}: the tools wait for it"
            if self.session.current_path is None:
                return "No image is open"
            return "No annotation project for this image (open its folder or dataset)"
        if (why := self.attached_read_only) is not None:
            return f"Read-only video: {why}"
        if project is not None and project.read_only:
            return f"Read-only project: {project.read_only_reason}"
        return None

    def editable(self, needs_probability: bool = False) -> AnnotationDocument | None:
        """The current document when it may be edited now; otherwise says why (`why_not_editable`) and
        returns None."""
        self.accepting.land()  # an Accept Prediction asked for lands first: steps keep their order
        doc = self.document
        if (why := self.why_not_editable()) is not None or doc is None:
            self.message.emit(why or "No image is open", 4000)
            return None
        if needs_probability and doc.probability is None:
            self.hint.show(doc, self.attached_key)
            return None
        return doc

    def run_model_keys(self) -> str:
        """The key of the window's Run on This Image as shown in menus ("Ctrl+R"), "" when none."""
        return self.hint.run_model_keys()

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool:
        """Apply a whole-image operation (clean-up, accept prediction) as one undo step."""
        doc = self.editable(needs_probability)
        if doc is None:
            return False
        self.gestures.finish()
        was = doc.status
        changed = bool(operation(doc))
        off = review_off_words(doc, was, self.attached)  # the review a command took off is said (review_off)
        self.message.emit(f"{label}: {'done' if changed else 'nothing to change'}{off}", 6000 if off else 3000)
        return changed

    # --- undo, status --------------------------------------------------------------------------
    def undo(self, redo: bool = False) -> bool:
        """Undo (redo: redo) a step of the current document and say which (`commands.step_back`)."""
        if not redo and self.gestures.take_back_vertex():  # as labelme and CVAT do
            return True
        self.gestures.finish()
        doc = self.document
        said = commands.step_back(doc, redo) if doc is not None and self.editable() is not None else None
        if said is not None:
            self.message.emit(said, 4000)
        return said is not None

    def redo(self) -> bool:
        return self.undo(redo=True)

    def set_status(self, status: Status) -> None:
        """Set the review status of the current image's document (attached documents have none)."""
        if self.attached:
            self.message.emit(f"{self.attached_key} has no review status", 3000)
            return
        doc = self.editable()
        if doc is not None:
            self.gestures.finish()
            was = doc.status
            doc.set_status(status)
            if status == Status.REVIEWED and not holds_smoke(doc.mask):  # exported as a checked smoke-free image
                self.tell_against_label(doc, was, REVIEWED_AGAINST_LABEL,
                                        REVIEWED_SMOKE_FREE.format(image=doc.image_id), 6000)
                return
            self.message.emit(f"{doc.image_id}: {short_status_words(self.project, doc.image_id, status)}", 3000)

    def toggle_reviewed(self) -> None:
        """Mark Reviewed (R): mark the image reviewed, or, on a reviewed one, take the mark off (a review
        given by mistake, or to look again) without Undo: back to the status the review replaced when its
        step is the newest of the history, else *edited* (a person has checked the mask: a later Pre-label
        never replaces it). Each is an undo step of its own; a video frame has no review status. An Accept
        Prediction still on its worker lands first: R acts on the status it leaves."""
        self.accepting.land()
        doc = self.document
        if doc is None or self.attached or doc.status != Status.REVIEWED:
            self.set_status(Status.REVIEWED)
            return
        if self.editable() is None:
            return
        self.gestures.finish()
        step = doc.history.newest
        was = step.status_before if step is not None and step.status_after == Status.REVIEWED.value else None
        back = Status(was) if was and was != Status.REVIEWED.value else Status.EDITED
        doc.set_status(back)
        words = short_status_words(self.project, doc.image_id, back)
        self.message.emit(f"{doc.image_id}: {words}, no longer reviewed (R or Undo marks it "
                          "reviewed again)", 4000)
    @property
    def label_smoke(self) -> LabelSmoke:
        """The reads of whether a dataset label shows smoke (`app.annotation.label_smoke_words`), made on first use,
        a child of the controller."""
        teller: LabelSmoke | None = getattr(self, "_label_smoke", None)
        if teller is None:
            teller = self._label_smoke = LabelSmoke(self if isinstance(self, QObject) else None)
        return teller

    def tell_against_label(self, doc: AnnotationDocument, was: Status | None, words: str, base: str, ms: int) -> None:
        """Say `base` (what R or Delete says of `doc`, which a command just left smoke-free), or `words` (formatted
        with ``image`` and the label's ``folder``) when `doc` was "dataset label only" (`was` UNLABELED, a label of
        its dataset) and that label shows smoke: at once when known, else when the label's read on its thread
        answers, while `doc` is shown and its newest step still the command's (`LabelSmoke.tell`)."""
        project = self.project
        if self.attached or was != Status.UNLABELED or project is None or not has_dataset_label(project, doc.image_id):
            self.message.emit(base, ms)
            return
        path = project.label_path(doc.image_id)  # in memory (the entry's label under the images' root): no disk read
        label = project.entry(doc.image_id).label
        step = doc.history.newest

        def say() -> None:
            self.message.emit(words.format(image=doc.image_id, folder=label_folder(label)), ms + 2000)

        known = None if path is None else self.label_smoke.tell(
            os.fspath(path), say, lambda: self.document is doc and doc.history.newest is step)
        if known:
            say()
        else:
            self.message.emit(base, ms)

    # --- gestures (see `ToolGestures`) -----------------------------------------------------------
    @property
    def pending_vertices(self) -> int:
        """Vertices of the polygon being clicked (Undo takes back the last one first)."""
        return self.gestures.pending_vertices

    def close_polygon(self) -> bool:
        """Fill (or cut) the polygon clicked so far (double-click or Enter); True when applied.
        Fewer than 3 vertices are kept (and the user told so)."""
        return self.gestures.close_polygon()

    def cancel(self) -> None:
        """Esc: drop a gesture in progress; with none, go back to the navigate tool."""
        if self.gestures.active:
            self.gestures.cancel()
        else:
            self.state.set_tool(Tool.NAVIGATE)

    # --- whole-image commands (see `app.annotation.commands`) -------------------------------------
    def accept_prediction(self) -> bool:
        return commands.accept_prediction(self)

    def copy_previous_mask(self) -> bool:
        return commands.copy_previous_mask(self)

    def threshold_to_mask(self) -> bool:
        return commands.threshold_to_mask(self)

    def clear_mask(self) -> bool:
        return commands.clear_mask(self)
