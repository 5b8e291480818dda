"""Whole-image commands of the Annotate menu over the current document of a `CommandHost` (the
`app.annotation.controller.AnnotationController`), each one undo step (`CommandHost.run`): accept
the model's prediction, threshold it to a mask, copy the previous image's saved mask, clear the mask
(`clear_mask`: a wrong mask gone in one key, Delete, and back with Undo); the summary
of a prediction kept for the worklist; and Undo / Redo, which say in the status bar which step they
took and how many are left (`step_back`): an undone review mark, or a stroke outside the view,
changes nothing to be seen, and an annotator who sees nothing happen presses again.

The prediction commands (and the wand and threshold brush) stay available while the image has no
probability yet: used then, or chosen, they say so in the status bar and name the window's Run on
This Image key (`app.annotation.prediction_hint`). They never start the model themselves: a run can
take seconds on a CPU, and Accept Prediction would replace the mask with a prediction nobody has
seen.

The controller imports this module; the commands see it through `CommandHost`, the few parts of
it they use, and do not import it back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np
from PySide6.QtCore import SignalInstance

from app.annotation import import_hold
from app.annotation.accept_worker import AcceptWorker
from app.annotation.label_smoke_words import CLEARED_AGAINST_LABEL
from app.annotation.previous_mask import SAVED_MASKS, DocumentsAtHand, not_answered, open_mask
from app.annotation.projects import ProjectRegistry
from app.annotation.redo_words import redone
from app.annotation.review_off import review_off_words
from app.annotation.status_words import status_word
from fosp_core.analysis.scorebook import LabelStamp
from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.history import Rect, Step
from fosp_core.annotation.prediction_profile import PROFILES
from fosp_core.annotation.prelabel import ModelStamp, stamp_summary
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.summaries import file_stamp, label_file
from fosp_core.annotation.tool_state import ToolState
from fosp_core.data.types import SMOKE
from fosp_core.session import ImageSession

__all__ = ["CLEARED", "CLEARED_EMPTY", "CLEARED_UNREVIEWED", "CommandHost", "accept_prediction", "clear_mask", "copy_previous_mask", "record_prediction",
           "step_back", "threshold_to_mask"]

#: What Accept Prediction says when the accepted mask holds no smoke.
SMOKE_FREE = "Accept prediction: no smoke predicted; saved as a smoke-free image (Undo takes it back)"
SMOKE_FREE_FRAME = SMOKE_FREE.replace("smoke-free image", "smoke-free frame")  # a video frame's (attached)


class CommandHost(Protocol):
    """What the commands use of the annotation controller: its tool `state` (the threshold), the
    `session` (the previous image), the `registry` (its saved mask) and `open_documents` (its open
    document), the current `document`, the
    status bar (``message.emit(text, ms)``), whether a document is lent by another view (`attached`),
    and its editing guard and undo step (`editable`, `run`); Accept Prediction on a huge photo also
    uses its ``accepting`` worker (`app.annotation.accept_worker.AcceptWorker`) where it has one."""

    state: ToolState
    session: ImageSession
    registry: ProjectRegistry
    document: AnnotationDocument | None
    open_documents: DocumentsAtHand

    @property
    def message(self) -> SignalInstance: ...

    @property
    def attached(self) -> bool: ...

    def editable(self, needs_probability: bool = False) -> AnnotationDocument | None: ...

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool: ...

    def tell_against_label(self, doc: AnnotationDocument, was: Status | None, words: str, base: str,
                           ms: int) -> None: ...


def accept_prediction(controller: CommandHost) -> bool:
    """Take the model's prediction as the mask (image PREDICTED). A prediction without smoke on an
    unlabeled image is recorded too, as a smoke-free image, and the status bar says so. The map's
    row and column maxima come from `PROFILES` when the controller prepared them as the map
    arrived (read on a worker), so only the box that changes is read here. On a huge photo (not a
    video frame) the step is prepared on the controller's `accepting` worker
    (`app.annotation.accept_worker`) and lands on the GUI thread a moment later (True here: asked
    for; the status bar says when it has)."""
    threshold = controller.state.threshold
    doc = controller.document
    before = doc.history.newest if doc is not None else None
    was = doc.status if doc is not None else None  # a review taken off is said (`review_off`)
    worker: AcceptWorker | None = getattr(controller, "accepting", None)
    if doc is not None and worker is not None and not controller.attached and worker.wanted(doc):
        # (a video frame's editor changes its document without `editable`: its accepts stay here)
        def start(d: AnnotationDocument) -> bool:
            worker.start(d, threshold, lambda changed, smoke: _accepted(controller, changed, smoke,
                                                                        review_off_words(d, was)))
            return True

        if not controller.run("Accept prediction", start, needs_probability=True):
            return False
        if worker.pending:  # "done" comes when it has landed
            controller.message.emit("Accept prediction: taking the prediction…", 0)
        return True
    changed = controller.run("Accept prediction", lambda d: cleanup.accept_prediction(
        d, threshold, profile=PROFILES.ready(d.probability)), needs_probability=True)
    doc = controller.document
    if changed and doc is not None:
        _tell_smoke_free(controller, doc, before, was)
    return changed


def _accepted(controller: CommandHost, changed: bool, smoke: bool, off: str = "") -> None:
    """Accept Prediction prepared on the worker has landed (`changed`: a step was recorded; `smoke`:
    the mask holds smoke, known from the worker; `off`: the review it took off, `review_off_words`): say
    so, as `run` and `_tell_smoke_free` say it."""
    off = off if changed else ""
    controller.message.emit(f"Accept prediction: {'done' if changed else 'nothing to change'}{off}",
                            6000 if off else 3000)
    if changed and not smoke:
        controller.message.emit(SMOKE_FREE + off, 5000)


def _tell_smoke_free(controller: CommandHost, doc: AnnotationDocument, before: Step | None,
                     was: Status | None = None) -> None:
    """After an accept recorded on `doc` (its newest step, unless that is still `before`), say when
    the mask holds no smoke (and the review it took off, `was` the status before it)."""
    step = doc.history.newest
    if not _holds_smoke(doc.mask, step.rect if step is not None and step is not before else None):
        text = SMOKE_FREE_FRAME if controller.attached else SMOKE_FREE
        controller.message.emit(text + review_off_words(doc, was, controller.attached), 5000)


def _holds_smoke(mask: np.ndarray, changed: Rect | None) -> bool:
    """Whether `mask` holds smoke, the rectangle `changed` (y0, y1, x0, x1; the step's changed
    pixels, None when unknown or none) read first: after Accept Prediction it holds the new smoke,
    and the rest of the mask is read only when it has none. Each pixel is read at most once."""
    if changed is None:
        return _any_smoke(mask)
    y0, y1, x0, x1 = changed
    if _any_smoke(mask[y0:y1, x0:x1]):
        return True
    rest = (mask[:y0], mask[y1:], mask[y0:y1, :x0], mask[y0:y1, x1:])  # above, below, left, right
    return any(_any_smoke(part) for part in rest if part.size)


def _any_smoke(block: np.ndarray) -> bool:
    """Whether a uint8 block of the mask holds a smoke pixel (its one full read)."""
    return bool((block == SMOKE).any())


def threshold_to_mask(controller: CommandHost) -> bool:
    threshold = controller.state.threshold
    return controller.run("Threshold to mask", lambda d: cleanup.threshold_to_mask(d, threshold),
                          needs_probability=True)


#: What Clear Mask says when it has cleared an image's mask (its id, by name: Delete pressed in the
#: worklist clears the image shown, not the row the worklist's cursor is on).
CLEARED = "Clear mask: done; {image} is now smoke-free, status edited (Undo brings the mask back)"
#: ... when the image was reviewed: the review is off too (`app.annotation.review_off`)
#: ... when its mask was empty already and only a model (or nobody) had made it: the person's "smoke-free" recorded
CLEARED_EMPTY = "Clear mask: done; {image} is now smoke-free, status edited (its mask was empty; Undo takes it back)"
CLEARED_UNREVIEWED = ("Clear mask: done; {image} is now smoke-free, status edited, no longer reviewed (Undo brings "
                      "the mask back, R marks it reviewed again)")


def clear_mask(controller: CommandHost) -> bool:
    """Clear the whole mask - every pixel background, ignore pixels too - as one undo step (a wrong mask,
    the model's or a stroke's, gone in one key); the image then says "smoke-free" as a person's word,
    status EDITED, so a later Pre-label never replaces it. Undo brings the mask and its status back.
    An image or a video frame alike (a frame's document is lent to the controller); says so when the
    mask is empty already."""
    doc = controller.document
    was = doc.status if doc is not None else None  # a review taken off is said (`review_off`)
    attached, only_said = controller.attached, []
    changed = controller.run("Clear mask", lambda d: _cleared(d, smoke_free_said=not attached, only_said=only_said))
    doc = controller.document
    if changed and doc is not None:
        off = bool(review_off_words(doc, was, controller.attached))
        words = CLEARED_UNREVIEWED if off else CLEARED_EMPTY if only_said else CLEARED
        if only_said and not controller.attached:  # a dataset label only image: its label may show smoke
            controller.tell_against_label(doc, was, CLEARED_AGAINST_LABEL, words.format(image=doc.image_id), 5000)
            return changed
        controller.message.emit("Clear mask: done (Undo brings the mask back)" if controller.attached
                                else words.format(image=doc.image_id), 6000 if off else 5000)
    return changed


def _cleared(doc: AnnotationDocument, smoke_free_said: bool, only_said: list[bool]) -> bool:
    """Clear `doc`'s mask as one step; an image's mask empty already that only a model (or nobody) made
    (`smoke_free_said`: an image, not a video frame) is still recorded, status EDITED: the person's
    "smoke-free", as Accept Prediction records an unlabelled image whose prediction holds no smoke (else it
    stayed out of an export, or a model's mask that Pre-label's replacing replaces); `only_said` is then
    given True (no pixel changed)."""
    with doc.history_block("clear mask"):
        changed = doc.replace_mask(np.zeros(doc.shape, np.uint8), label="clear mask")
        if not changed and smoke_free_said and doc.status in (Status.UNLABELED, Status.PREDICTED):
            doc.set_status(Status.EDITED)
            only_said.append(True)
            changed = True
    return changed


def copy_previous_mask(controller: CommandHost) -> bool:
    """Replace this image's mask by the saved mask of the image Previous Image goes to (the listed
    one before it), as one undo step: a starting point for the next frame of a sequence. Says why
    when there is nothing to copy. The mask comes from that image's open document when it has one,
    else from its file read on a worker, waited for `previous_mask.READ_WAIT_S` at most: a disk that
    does not answer is said, never waited for (`app.annotation.previous_mask`)."""
    message, session = controller.message, controller.session
    if controller.attached:
        message.emit("Video frames carry their mask to the next frame themselves", 4000)
        return False
    if controller.editable() is None:
        return False
    index = session.neighbour(-1)
    if index < 0 or index == session.current_index:
        message.emit("No previous image to copy a mask from", 4000)
        return False
    path = session.paths[index]
    found = controller.registry.lookup(path)
    mask = None
    if found is not None:
        project, image_id = found
        key = (project.folder, image_id)
        at_hand, mask = open_mask(controller.open_documents, project.folder, image_id)
        if at_hand:
            SAVED_MASKS.forget(key)  # a read of its file asked before: older than the document
        else:
            read = SAVED_MASKS.read(key, lambda: project.load_mask(image_id))
            if read.waiting:
                message.emit(not_answered(f"the mask of {path.name}", "Copy previous mask"), 10000)
                return False
            if read.error is not None:
                message.emit(f"Not copied: the mask of {path.name} could not be read ({read.error})", 8000)
                return False
            mask = read.mask
    if mask is None:
        message.emit(f"{path.name} has no mask yet: nothing to copy", 4000)
        return False
    try:
        return controller.run(f"Copy the mask of {path.name}", lambda d: cleanup.copy_mask(d, mask, source=path.name))
    except ValueError as exc:
        message.emit(f"Not copied: {exc}", 6000)
        return False


def record_prediction(registry: ProjectRegistry, image_path: str | Path, probability: np.ndarray,
                      threshold: float, stamp: ModelStamp | None = None) -> bool:
    """Store the summary of the model's float (H, W) probability for an image in its project: the
    worklist sorts by model uncertainty and by error against the label with it; `stamp`: the model that
    made it (`fosp_core.annotation.prelabel.stamp_summary`, with the label file scored against). The mask and the
    status stay as they are (Accept Prediction takes the mask). Returns whether it was stored (or
    held: while labels are imported into the project, its import thread alone writes it, and the
    summary is stored when the import ends, `app.annotation.import_hold`)."""
    found = registry.lookup(image_path)
    if found is None or found[0].read_only:
        return False
    project, image_id = found
    probability = np.asarray(probability)
    step = import_hold.sample_step(probability)  # about a million pixels at most
    try:
        if import_hold.holding(project):
            summary = import_hold.summary_of(project, image_id, probability, threshold)
            return import_hold.keep(project, image_id, stamp_summary(summary, stamp, _label_now(project, image_id)))
        project.set_prediction(image_id, probability, threshold, store_map=False,
                               as_mask_if_unlabeled=False, sample_step=step)
        if stamp is not None:  # a second line, not fsynced: made again by running the model
            entry = project.entry(image_id)
            entry.prediction = stamp_summary(entry.prediction or {}, stamp, _label_now(project, image_id))
            project.record_state(entry, durable=False)
    except (ProjectError, ValueError):
        return False  # the summary only orders the worklist: nothing the user must hear about
    return True


def _label_now(project: Project, image_id: str) -> LabelStamp | None:
    """The image's reference label file as it is now (what its summary was scored against): one stat,
    on the GUI thread. Kept there: it runs only where the summary itself is made on the GUI thread
    (`WorklistSummaries.on_result`'s fallback: no summary came from the worker), after
    `set_prediction`'s pass over the whole map (12-86 ms at 1920x1080), beside which a stat is
    microseconds; a result summarised on the worker has its label's stamp made there."""
    return file_stamp(label_file(project, image_id))


def step_back(doc: AnnotationDocument, redo: bool = False) -> str | None:
    """Undo (or redo) `doc`'s newest step; what the status bar says of it ("Undo: brush (2 more to
    undo)", "Undo: status reviewed → edited (nothing more to undo)"), None when there was none."""
    history, before = doc.history, doc.status
    label = history.labels()[-1] if history.can_undo and not redo else None
    if not (doc.redo() if redo else doc.undo()):
        return None
    if redo:
        label = history.labels()[-1]
        redone(history.newest)  # Redo with nothing left says so (`app.annotation.redo_words`)
    what = f"status {status_word(before)} → {status_word(doc.status)}" if label == "status" else label
    left = history.redo_count if redo else history.undo_count
    verb = "redo" if redo else "undo"
    more = f"{left} more to {verb}" if left else f"nothing more to {verb}"
    return f"{verb.capitalize()}: {what} ({more})"
