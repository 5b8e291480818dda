"""Binds annotation projects and documents to the canvas, and canvas clicks to the tools.

The controller owns the `ToolState`, the `ProjectRegistry`, the current `AnnotationDocument` and the
mask layer; `gestures` (`app.annotation.gestures.ToolGestures`) turns mouse input into tool calls on the
document it may edit (`editable`) and draws the brush outline and path previews. When the session's
current image arrives the controller opens its document (with the model's probability when
`set_probability` gave one; a huge image's files read on a worker meanwhile:
`app.annotation.document_opening`), shows its mask and repaints each "mask" event's rectangle; it
autosaves on every commit. The documents of the last `RECENT_DOCUMENTS` images left stay open: going
back to one finds its undo history (`reload_documents` lets them go when masks changed on disk, e.g.
after an import). An autosave that fails (disk full) is told once and then counted (`save_status`); the
edit stays in its document and is never let go unsaved: `open_documents`
(`app.annotation.open_documents.OpenDocuments`) keeps, holds and saves them. Closing the window with
edits not saved asks Retry / Discard / Cancel first (`confirm_close`).

Another view can lend the tools a document of its own (a video frame's, `fosp_core.video.timeline`)
with `attach_document`: the tool dock, the canvas tools, the mask layer, undo/redo and the clean-up
actions then edit that document, and the image-mode project logic stands aside (session image changes
are ignored) until `detach_document` brings the current image's project document back.

The editing guard (`editable`), Undo / Redo, the review status and the whole-image commands' entry
points are the controller's editing side, `app.annotation.controller_editing.DocumentEditing` (mixed in).
Whole-image commands (accept prediction, threshold to mask, copy the previous mask) and what Undo
and Redo say they took are in `app.annotation.commands` (which sees the controller through its
`CommandHost`); the hint of the prediction tools while the image has no probability yet, replaced
when the probability arrives, in `app.annotation.prediction_hint`. Accept Prediction takes the map's
row and column maxima, read on a worker as it arrives (`fosp_core.annotation.prediction_profile`); on a
huge photo its step is prepared on a worker too (`accept_worker`), landed before any edit or switch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.annotation import commands
from app.annotation.accept_worker import AcceptWorker
from app.annotation.controller_editing import DocumentEditing
from app.annotation.document_opening import DocumentOpening, Opened
from app.annotation.gestures import ToolGestures
from app.annotation.hidden_mask import HiddenMask
from app.annotation.image_messages import ImageMessages
from app.annotation.lock_prompt import LockPrompt
from app.annotation.mask_layer import MaskLayer
from app.annotation.open_documents import OpenDocuments
from app.annotation.opening_notes import OpeningNotes
from app.annotation.prediction_hint import PredictionHint
from app.annotation.projects import OpenedProject, ProjectRegistry
from app.annotation.save_status import SaveStatus
from app.annotation.taken_over_view import show_taken_over
from app.canvas import Canvas
from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Status
from fosp_core.annotation.events import Commit
from fosp_core.annotation.prediction_profile import PROFILES
from fosp_core.annotation.project import Project
from fosp_core.annotation.recent import RECENT_DOCUMENTS
from fosp_core.annotation.tool_state import ToolState
from fosp_core.io.images import LoadedImage
from fosp_core.session import ImageSession, OpenError

__all__ = ["RECENT_DOCUMENTS", "AnnotationController"]

#: how long "2 new images added" (put in an opened project's folder or dataset since) stays in the status bar
ADDED_MS = 15000


class AnnotationController(DocumentEditing, QObject):
    """See module doc. Signals:

    document_changed(): another document (or none) became current.
    state_changed(): the current document's status, undo/redo or mask changed (actions, lists).
    gesture_changed(): polygon vertices were clicked, taken back or dropped (Undo's availability).
    mask_saved(image_id): a commit's mask reached its file and the project's entry (smoke size, time)
        after its background save: lists ordered by the saved state are ordered again.
    message(text, ms): a status-bar message.
    withdrawn(text): another image is shown: the status bar's message `text`, said of the image left, is to go
        while shown (`app.annotation.image_messages`).
    problem(errors): no project, read-only, a mask not opened: OpenErrors (failed saves: `save_status`).
    """

    document_changed = Signal()
    state_changed = Signal()
    gesture_changed = Signal()
    mask_saved = Signal(str)
    message = Signal(str, int)
    withdrawn = Signal(str)
    problem = Signal(list)
    _compaction_ended = Signal(object)  # a project's background rewrite ended (emitted on its thread)
    _saves_ended = Signal(object)  # a project's background mask save ended (emitted on its worker)
    _event = Signal(object, object)  # a project's event; from a worker (a batch's end) it is queued here

    def __init__(self, canvas: Canvas, session: ImageSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.session = session
        self.state = ToolState()
        self.registry = ProjectRegistry()
        self.lock_prompt = LockPrompt(self.registry, canvas.window)  # take over another computer's lock?
        self.lock_prompt.setParent(self)  # deleted with the controller: its connections to it never keep a window
        self.lock_prompt.message.connect(self.message)  # a Take Over that failed, or stopped waiting for its disk
        self.lock_prompt.taken.connect(lambda opened: (self.adopt_projects([opened]), self.reload_documents()))
        self.lock_prompt.replacing.connect(self._let_read_only_documents_go)
        self.layer = MaskLayer(canvas)
        self.gestures = ToolGestures(canvas, self.state, self.editable, self)
        self.cursor, self.preview, self.input = self.gestures.cursor, self.gestures.preview, self.gestures.input
        self.document: AnnotationDocument | None = None
        self.project: Project | None = None
        self.image_path: Path | None = None
        self.attached_key: str | None = None  #: an attached document's name ("frame 12"), None in image mode
        self.attached_read_only: str | None = None  #: why the attached document is read-only (attach_document)
        #: True while state_changed says only that the document's probability changed (`set_probability`)
        self.probability_only = False
        self.hint = PredictionHint(self.message.emit, self.parent)  # the prediction tools' (no probability yet)
        self._probabilities: dict[Path, np.ndarray] = {}
        self.save_status = SaveStatus(self, lambda: self.registry.projects)  # failed saves: told once, then counted
        self.messages = ImageMessages(self.message, self._shown)  # what a move takes away (image_messages)
        self.notes = OpeningNotes(self._say_general)  # what an opening says, said as one (opening_notes)
        self.save_status.message.connect(self.notes.say)
        self.open_documents = OpenDocuments(self.registry, self.save_status, self._current)  # images left, kept
        self.accepting = AcceptWorker(self)  # Accept Prediction on a huge photo: prepared on a worker
        self._compaction_ended.connect(lambda project: project.finish_compaction())
        self._saves_ended.connect(lambda project: project.finish_saves())
        self._event.connect(self._project_event)  # Import Labels ends its batch on its thread: widgets here
        self.opening = DocumentOpening(self.registry, self.open_documents, lambda p: self._probabilities.get(p), self)
        self.opening.arrived.connect(self._show)
        self.layer.set_opacity(self.state.opacity)
        self.mask_view = HiddenMask(self.layer, self.message.emit, self)  # Show Mask (M) off, said (hidden_mask)
        self.message.connect(self.mask_view.heard)
        session.events.current_changed.connect(self._moved)
        self.state.changed.connect(self._on_state_changed)
        session.events.image_changed.connect(self._on_image_changed)
        self.gestures.gesture_changed.connect(self.gesture_changed)
        self.gestures.message.connect(self.message)

    # --- projects and documents ----------------------------------------------------------------
    def _project_event(self, project: Project, event: tuple[str, str, Exception | None]) -> None:
        self.open_documents.project_event(project, event)
        if event[0] == "saved":
            self.mask_saved.emit(event[1])
        elif event[0] == "taken_over":  # read-only now: shown as a project opened locked
            show_taken_over(self, project, event[2])

    def open_projects(self, paths: list[str | Path] | list[Path]) -> None:
        """Create or reopen the projects of opened folders/datasets/files (see `ProjectRegistry`)."""
        self.adopt_projects(self.lock_prompt.resolve(self.registry.open_for(paths)), paths)

    def adopt_projects(self, outcomes: list[OpenedProject], paths: Sequence[str | Path] | None = None) -> None:
        """Use newly opened projects (saved in the background); tell those read-only or failed. What
        the projects say (read-only, recovered, logs set aside) is said as one message, `notes.last`;
        `paths`: what the user opened (a dataset's labels are counted among those images), None: all."""
        with self.notes.gathered():
            problems = [error for opened in outcomes for error in self._adopt(opened, paths)]
            self.open_documents.update_behind()  # a rewrite on opening may have failed
        if problems:
            self.problem.emit(problems)
        if self.document is None and not self.attached and self.session.current_image is not None:
            self._on_image_changed(self.session.current_image)

    def _adopt(self, opened: OpenedProject, paths: Sequence[str | Path] | None = None) -> list[OpenError]:
        if (project := opened.project) is None:
            assert opened.error is not None
            return [OpenError(opened.source, f"no annotation project: {opened.error.reason}")]
        self.save_status.opened(project, paths, opened.set_aside)  # recovered told, logs set aside listed (read-only too)
        self.notes.say_where_kept(opened.source, project.folder)  # a read-only folder's: in the user cache
        if (reason := project.read_only_reason) is not None:
            self.notes.say(f"Read-only project: {reason}", 0)
            return [OpenError(opened.source, f"annotation project opened read-only ({reason}){project.pending_note()}")]
        if added := project.listing.added_words():  # put in its folder or dataset since it was last opened
            self.notes.say(added, ADDED_MS)
        project.events.connect(lambda event, p=project: self._event.emit(p, event))
        project.compaction_notify = lambda p=project: self._compaction_ended.emit(p)
        project.compact_in_background = True  # project.json rewritten on a worker, ended here
        project.save_notify = lambda p=project: self._saves_ended.emit(p)
        project.save_in_background = True  # a mask PNG written on a worker, its record logged first
        return [OpenError(p.log or project.mask_path(p.image_id), p.describe()) for p in project.recovery_problems]

    def set_probability(self, image_path: str | Path, probability: np.ndarray | None) -> None:
        """The model's smoke probability (float (H, W) in [0, 1]) for an image, or None to drop it.

        Used by the wand, the threshold brush, threshold-to-mask and accept prediction. Call it
        from the GUI thread (e.g. the analysis view when a prediction arrives). An image open in the
        session is named by its path there (resolved where it was opened): not looked at on the disk again.
        """
        path = Path(image_path)
        if path not in self.session and path != self.image_path:  # a link, a relative path: resolved
            path = path.resolve()
        if probability is None:
            self._probabilities.pop(path, None)
        else:
            # only the shown image's map is kept (a 4000x3000 map is 48 MB); the analysis view's
            # bounded result cache hands it over again when its image comes back
            self._probabilities = {path: np.asarray(probability, dtype=np.float32)}
        if self.document is not None and path == self.image_path:
            prob = self._probabilities.get(path)
            if prob is None or prob.shape == self.document.shape:
                self.probability_only = True  # what this state_changed tells (the worklist: no entry changed)
                try:
                    self.document.set_probability(prob)
                    self.state_changed.emit()
                finally:
                    self.probability_only = False

    def record_prediction(self, image_path: str | Path, probability: np.ndarray, stamp: commands.ModelStamp | None = None) -> bool:
        """Store the summary of a prediction for the worklist, `stamp` its model's (`commands.record_prediction`)."""
        stored = commands.record_prediction(self.registry, image_path, probability, self.state.threshold, stamp)
        if stored:
            self.state_changed.emit()
        return stored

    # --- documents lent by another view (video frames) ------------------------------------------
    def attach_document(self, doc: AnnotationDocument | None, key: str,
                        probability: np.ndarray | None = None, read_only: str | None = None) -> None:
        """Edit `doc` with every tool instead of the current image's project document.

        `key` names it in messages and the tool dock (e.g. "frame 12"); `probability` (float (H, W) in [0, 1],
        the document's shape) is given to the document for the wand, the threshold brush and accept prediction.
        `doc` None keeps the tools attached with nothing to edit (a frame whose mask cannot be opened); with
        `read_only` (why) it is shown, not edited. Saving is the owner's business (its ``committed`` event).
        Until `detach_document`, the session's image changes leave the tools alone.
        """
        self.gestures.finish()
        self._close_document()
        self.attached_key, self.attached_read_only = key, read_only
        if doc is not None and probability is not None and probability.shape == doc.shape:
            doc.set_probability(probability)
        self.document = doc
        if doc is not None:
            doc.events.connect(self._on_document_event)
            doc.committed.connect(self._on_commit)
            PROFILES.prepare(doc.probability)
        self.layer.set_mask(None if doc is None else doc.mask)
        self.document_changed.emit()

    def detach_document(self) -> None:
        """Stop editing the attached document; the current image's project document comes back."""
        if not self.attached:
            return
        self.gestures.finish()
        self._close_document()
        self.attached_key = self.attached_read_only = None
        self._on_image_changed(self.session.current_image)

    # --- the session's image -------------------------------------------------------------------
    def _say_general(self, text: str, ms: int) -> None:
        """A message not about the image shown (a project's notes): a move leaves it."""
        with self.messages.general():
            self.message.emit(text, ms)

    def _shown(self) -> tuple[Path | None, str | None] | None:
        """(the session's current path, the edited image's id) as a message is said; None for a lent document."""
        if self.attached:
            return None
        return self.session.current_path, None if self.document is None else self.document.image_id

    def _moved(self, _index: int) -> None:
        """The session's current image changed: the last message about the image left goes (`withdrawn`)."""
        if (text := self.messages.moved(self.session.current_path)) is not None:
            self.withdrawn.emit(text)

    def _on_image_changed(self, image: LoadedImage | None) -> None:
        if self.attached:
            return  # another view lent its document; detach_document reopens the image's
        self.gestures.finish()  # a stroke cut short by a key is kept (saved to its image)
        self._close_document()
        self._show(self.opening.open(image))

    def _show(self, opened: Opened) -> None:
        """Show the current image's document, or none (no image or project, not opened, being read)."""
        if (doc := opened.document) is not None:
            self.document, self.project, self.image_path = doc, opened.project, opened.path
            doc.events.connect(self._on_document_event)
            doc.committed.connect(self._on_commit)
            PROFILES.prepare(doc.probability)  # Accept Prediction's maxima, read on a worker
        self.layer.set_mask(None if doc is None else doc.mask)
        if opened.problem is not None:
            self.problem.emit([opened.problem])
        self.document_changed.emit()

    def _close_document(self) -> None:
        self.accepting.land()  # on the document it was asked for, saved with it
        doc, project = self.document, self.project
        self.hint.forget()  # a hint about this document is not waited on any more
        self.opening.cancel()  # files still being read are not wanted any more
        if doc is not None:
            doc.events.disconnect(self._on_document_event)
            doc.committed.disconnect(self._on_commit)
        if doc is not None and project is not None and not self.attached:
            self.open_documents.keep(project, doc)
        self.document, self.project, self.image_path = None, None, None

    def _let_read_only_documents_go(self, project: Project) -> None:
        """Take Over replaces the read-only `project`: its documents (the current one, those kept) go unsaved: they
        show its files as read and cannot be edited, and kept under its folder, the new project's too, they would
        be saved into it over newer masks. The current image's is opened again from the new project."""
        if self.project is project:
            self._close_document()
        for key, _doc in self.open_documents.recent.items():
            if key[0] == project.folder:
                self.open_documents.recent.take(key)

    def _current(self) -> tuple[Project, AnnotationDocument] | None:
        """The current image's project document (None while another view lends its document)."""
        if self.document is None or self.project is None or self.attached:
            return None
        return self.project, self.document

    def reload_documents(self) -> None:
        """Reopen the current image's document from its project and let the kept ones go (their
        masks changed on disk, e.g. labels were imported); their undo history goes with them, their
        edits not saved are saved, or held when that fails (in video mode too)."""
        self.gestures.finish()
        if self.attached:  # the image's document was kept when the frame's was lent
            self.open_documents.drop_all()
            return
        self._close_document()
        self.open_documents.drop_all()
        self._on_image_changed(self.session.current_image)

    def _on_document_event(self, event: DocumentEvent) -> None:
        if event.kind == "mask" and event.rect is not None:
            self.layer.update_rect(event.rect)
        elif event.kind in ("history", "status", "probability"):
            if event.kind == "probability" and self.document is not None:
                PROFILES.prepare(self.document.probability)  # the prediction arrived
            self.state_changed.emit()

    def _on_commit(self, commit: Commit) -> None:
        """An edit that took a reviewed image back to edited (any stroke or command after R) says so: the
        status bar still showed "reviewed", and the image left a reviewed-only export unsaid."""
        self.mask_view.committed(commit.kind)  # the first edit while the mask is hidden says so
        doc = self.document
        step = None if doc is None else doc.history.newest
        if (commit.kind == "edit" and step is not None and step.status_before == Status.REVIEWED.value
                and step.status_after == Status.EDITED.value and not self.attached):
            self.message.emit(f"{doc.image_id}: edited, no longer reviewed (R marks it reviewed again)", 4000)

    def unsaved_documents(self) -> list[tuple[Project, AnnotationDocument]]:
        """(project, document) of every open document whose last edits are not on disk (their
        save failed), the least recently shown first."""
        return self.open_documents.unsaved()

    def confirm_close(self, parent: QWidget | None = None) -> bool:
        """Before the window closes: finish any stroke and save what is not saved; while some edits
        still cannot be saved, ask Retry / Discard / Cancel (`OpenDocuments.confirm_close`). True:
        the window may close; False: Cancel, all stays as it was. An Accept Prediction still on its worker
        lands first: its save is asked about as any edit's."""
        self.gestures.finish()
        self.accepting.land()
        return self.open_documents.confirm_close(parent)

    def close(self) -> None:
        """Finish any stroke, save what was not saved and release the projects' locks (window
        closing); edits that still cannot be saved are told lost, unless the user discarded them
        (`confirm_close`)."""
        self.gestures.finish()
        self._close_document()
        self.save_status.tell_lost(self.open_documents.close())  # told when any
        self.attached_key = None
        self.lock_prompt.close()  # a Take Over still waited for: its project let go on its thread
        self.registry.close()

    def _on_state_changed(self, name: str) -> None:
        if name == "tool":  # after the gestures' message (the tool's name): this one stays
            doc = self.document
            if self.state.tool.needs_probability and self.writable and doc is not None and doc.probability is None:
                self.hint.show(doc, self.attached_key)
        elif name == "opacity":
            self.layer.set_opacity(self.state.opacity)
        elif name == "outline":
            self.layer.set_outline(self.state.outline)
