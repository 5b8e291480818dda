"""Binds annotation projects and documents to the canvas, and canvas clicks to the tools.

The controller owns the `ToolState`, the `ProjectRegistry`, the current `AnnotationDocument` and
the mask layer; `gestures` (`app.annotation.gestures.ToolGestures`) turns mouse input into tool
calls on the document it may edit (`editable`) and draws the brush outline and path previews. When
the session's current image arrives the controller opens that image's document (with the model's
probability when `set_probability` gave one) and shows its mask; each document "mask" event
repaints its dirty rectangle. The document autosaves on every commit. The
documents of the last `RECENT_DOCUMENTS` images left stay open, so going back to one finds its
undo history (`reload_documents` drops them when masks changed on disk, e.g. after an import).
An autosave that fails (disk full) is told once and then counted (`save_status`,
`app.annotation.save_status.SaveStatus`: the status bar's "N images not saved" until they are); the
edit stays in its document, which is saved again with the next save that succeeds, of whichever
image (`_save_unsaved`), when it is let go, and when the window closes. A document let go whose save
fails again is held (`_held`, beyond the `RECENT_DOCUMENTS`) until it is saved: going back to its
image finds it, edits and all. Closing the window with edits not saved asks Retry / Discard / Cancel
first (`confirm_close`).

Another view can lend the tools a document of its own (a video frame's, from
`fosp_core.video.timeline.VideoAnnotations`) with `attach_document`: the tool dock, the canvas tools,
the mask layer, undo/redo and the clean-up actions then edit that document, and the image-mode
project logic stands aside (session image changes are ignored) until `detach_document` brings the
current image's project document back.

The prediction tools (accept prediction, threshold to mask, wand, threshold brush) stay available
while the image has no probability yet: used then, or chosen, they say so in the status bar and
name the window's Run on This Image key (`no_prediction_hint`). They never start the model
themselves: a run can take seconds on a CPU, and Accept Prediction would replace the mask with a
prediction nobody has seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.annotation.gestures import ToolGestures
from app.annotation.mask_layer import MaskLayer
from app.annotation.projects import ProjectRegistry
from app.annotation.save_status import CloseChoice, SaveStatus
from app.canvas import Canvas
from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Status
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.recent import RECENT_DOCUMENTS, RecentDocuments
from fosp_core.annotation.tool_state import Tool, ToolState
from fosp_core.data.types import SMOKE
from fosp_core.io.images import LoadedImage
from fosp_core.session import ImageSession, OpenError

__all__ = ["RECENT_DOCUMENTS", "AnnotationController"]


class AnnotationController(QObject):
    """See module doc. Signals:

    document_changed(): another document (or none) became current.
    state_changed(): the current document's status, undo/redo availability or mask changed
        after a commit (for actions and lists).
    gesture_changed(): polygon vertices were clicked, taken back or dropped (Undo's availability).
    message(text, ms): a status-bar message.
    problem(errors): things the user must know (read-only project, failed save), as OpenErrors.
    """

    document_changed = Signal()
    state_changed = Signal()
    gesture_changed = Signal()
    message = Signal(str, int)
    problem = Signal(list)

    def __init__(self, canvas: Canvas, session: ImageSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.session = session
        self.state = ToolState()
        self.registry = ProjectRegistry()
        self.layer = MaskLayer(canvas)
        self.gestures = ToolGestures(canvas, self.state, self.editable, self)
        # the gestures' canvas parts, at hand (screenshots, tests)
        self.cursor, self.preview, self.input = self.gestures.cursor, self.gestures.preview, self.gestures.input
        self.document: AnnotationDocument | None = None
        self.project: Project | None = None
        self.image_path: Path | None = None
        #: The name of an attached document (e.g. "frame 12"), None in image mode; see `attach_document`.
        self.attached_key: str | None = None
        #: Finds the window's "Run on This Image" action, whose key the no-prediction hint names (looked
        #: up when needed: the analysis view is built after the tools); None: the hint names no key.
        self.find_run_action: Callable[[], QAction | None] = self._window_run_action
        self._probabilities: dict[Path, np.ndarray] = {}
        self._recent: RecentDocuments[tuple[Path, str]] = RecentDocuments(on_drop=self._forget)
        #: documents let go whose save failed: kept, whatever their number, until they are saved
        self._held: dict[tuple[Path, str], AnnotationDocument] = {}
        self._discarded = False  # the user chose to close without the edits not saved
        self._saving_unsaved = False
        #: failed saves: told once, then the status bar counts the images not saved
        self.save_status = SaveStatus(self)
        self.save_status.message.connect(self.message)
        self.layer.set_opacity(self.state.opacity)
        self.state.changed.connect(self._on_state_changed)
        session.events.image_changed.connect(self._on_image_changed)
        self.gestures.gesture_changed.connect(self.gesture_changed)
        self.gestures.message.connect(self.message)

    # --- projects and documents ----------------------------------------------------------------
    def open_projects(self, paths: list[str | Path] | list[Path]) -> None:
        """Create or reopen the projects of opened folders/datasets/files (see `ProjectRegistry`)."""
        problems: list[OpenError] = []
        for opened in self.registry.open_for(paths):
            if opened.project is None:
                assert opened.error is not None
                problems.append(OpenError(opened.source, f"no annotation project: {opened.error.reason}"))
            elif opened.project.read_only:
                reason = opened.project.read_only_reason
                problems.append(OpenError(opened.source, f"annotation project opened read-only ({reason})"))
                self.message.emit(f"Read-only project: {reason}", 0)
            else:
                opened.project.events.connect(lambda event, p=opened.project: self._on_project_event(p, event))
        if problems:
            self.problem.emit(problems)
        if self.document is None and not self.attached and self.session.current_image is not None:
            self._on_image_changed(self.session.current_image)

    def set_probability(self, image_path: str | Path, probability: np.ndarray | None) -> None:
        """The model's smoke probability (float (H, W) in [0, 1]) for an image, or None to drop it.

        Used by the wand, the threshold brush, threshold-to-mask and accept prediction. Call it
        from the GUI thread (e.g. the analysis view when a prediction arrives).
        """
        path = Path(image_path).resolve()
        if probability is None:
            self._probabilities.pop(path, None)
        else:
            # only the shown image's map is kept (a 4000x3000 map is 48 MB); the analysis view's
            # bounded result cache hands it over again when its image comes back
            self._probabilities = {path: np.asarray(probability, dtype=np.float32)}
        if self.document is not None and path == self.image_path:
            prob = self._probabilities.get(path)
            if prob is None or prob.shape == self.document.shape:
                self.document.set_probability(prob)
                self.state_changed.emit()

    def record_prediction(self, image_path: str | Path, probability: np.ndarray) -> bool:
        """Store the summary of the model's float (H, W) probability for an image in its project:
        the worklist sorts by model uncertainty and by error against the label with it. The mask and
        the status stay as they are (Accept Prediction takes the mask). Returns whether it was stored."""
        found = self.registry.lookup(image_path)
        if found is None or found[0].read_only:
            return False
        project, image_id = found
        probability = np.asarray(probability)
        step = max(1, int(math.sqrt(probability.size / 1_000_000)))  # about a million pixels at most
        try:
            project.set_prediction(image_id, probability, self.state.threshold, store_map=False,
                                   as_mask_if_unlabeled=False, sample_step=step)
        except (ProjectError, ValueError):
            return False  # the summary only orders the worklist: nothing the user must hear about
        self.state_changed.emit()
        return True

    def on_inference_result(self, _request_id: int, path: object, _model_id: str, _tau: object,
                            prediction: object) -> None:
        """Slot for the inference worker's ``result``: every prediction (this image or all of them)
        is summarised for the worklist."""
        probability = getattr(prediction, "probability", None)
        if isinstance(path, (str, Path)) and probability is not None:
            self.record_prediction(path, probability)

    # --- documents lent by another view (video frames) ------------------------------------------
    @property
    def attached(self) -> bool:
        """Whether an externally supplied document is being edited (see `attach_document`)."""
        return self.attached_key is not None

    def attach_document(self, doc: AnnotationDocument | None, key: str,
                        probability: np.ndarray | None = None) -> None:
        """Edit `doc` with every tool instead of the current image's project document.

        `key` names it in messages and the tool dock (e.g. "frame 12"); `probability` (float (H, W)
        in [0, 1], the document's shape) is given to the document for the wand, the threshold brush
        and accept prediction. `doc` None keeps the tools attached with nothing to edit (a frame
        whose mask cannot be opened). Saving is the owner's business (the document's ``committed``
        event). Until `detach_document`, the session's image changes leave the tools alone.
        """
        self.gestures.finish()
        self._close_document()
        self.attached_key = key
        if doc is not None and probability is not None and probability.shape == doc.shape:
            doc.set_probability(probability)
        self.document = doc
        if doc is not None:
            doc.events.connect(self._on_document_event)
        self.layer.set_mask(None if doc is None else doc.mask)
        self.document_changed.emit()

    def detach_document(self) -> None:
        """Stop editing the attached document; the current image's project document comes back."""
        if not self.attached:
            return
        self.gestures.finish()
        self._close_document()
        self.attached_key = None
        self._on_image_changed(self.session.current_image)

    # --- the session's image -------------------------------------------------------------------
    def _on_image_changed(self, image: LoadedImage | None) -> None:
        if self.attached:
            return  # another view lent its document; detach_document reopens the image's
        self.gestures.finish()  # a stroke cut short by a key is kept (saved to its image)
        self._close_document()
        if image is None:
            self.layer.set_mask(None)
            self.document_changed.emit()
            return
        found = self.registry.lookup(image.path)
        if found is None:
            self.layer.set_mask(None)
            self.document_changed.emit()
            return
        project, image_id = found
        path = Path(image.path).resolve()
        prob = self._probabilities.get(path)
        if prob is not None and prob.shape != image.rgb.shape[:2]:
            prob = None
        doc = self._recent.take((project.folder, image_id))
        if doc is None:  # let go unsaved: its edits come back with it
            doc = self._held.pop((project.folder, image_id), None)
        if doc is not None and doc.shape != image.rgb.shape[:2]:
            doc = None
        if doc is not None:  # visited lately: its undo history comes back with it
            if prob is not None:
                doc.set_probability(prob)
        else:
            try:
                doc = project.open_document(image_id, image_shape=image.rgb.shape, probability=prob)
            except (ProjectError, ValueError) as exc:
                self.layer.set_mask(None)
                self.problem.emit([OpenError(path, f"cannot open its mask: {exc}")])
                self.document_changed.emit()
                return
        self.document, self.project, self.image_path = doc, project, path
        doc.events.connect(self._on_document_event)
        self.layer.set_mask(doc.mask)
        self.document_changed.emit()

    def _close_document(self) -> None:
        doc, project = self.document, self.project
        if doc is not None:
            doc.events.disconnect(self._on_document_event)
        if doc is not None and project is not None and not self.attached:
            self._recent.keep((project.folder, doc.image_id), doc)
        self.document, self.project, self.image_path = None, None, None

    def _forget(self, key: tuple[Path, str], doc: AnnotationDocument) -> None:
        """Let a kept document go; an edit whose save failed is tried once more, and held when it
        fails again (saved with the next save that works)."""
        project = next((p for p in self.registry.projects if p.folder == key[0]), None)
        if project is None or project.read_only or project.is_saved(doc) or self._discarded:
            return
        try:
            project.save_document(doc)
        except ProjectError as exc:
            self._held[key] = doc
            self._save_failed(project, doc.image_id, exc)

    def reload_documents(self) -> None:
        """Reopen the current image's document from its project and drop the kept ones (their masks
        changed on disk, e.g. labels were imported); their undo history goes with them."""
        self.gestures.finish()
        if self.attached:
            self._recent.clear()
            return
        self._close_document()
        self._recent.drop_all()
        self._on_image_changed(self.session.current_image)

    def _on_document_event(self, event: DocumentEvent) -> None:
        if event.kind == "mask" and event.rect is not None:
            self.layer.update_rect(event.rect)
        elif event.kind in ("history", "status", "probability"):
            self.state_changed.emit()

    def _on_project_event(self, project: Project, event: tuple[str, str, Exception | None]) -> None:
        kind, image_id, error = event
        if kind == "save_failed" and error is not None:
            self._save_failed(project, image_id, error)
        elif kind == "saved" and not self._saving_unsaved:
            self._save_unsaved()
        if not self._saving_unsaved:
            self._update_save_status()

    def _save_failed(self, project: Project, image_id: str, error: Exception) -> None:
        self.save_status.failed((project.folder, image_id), image_id,
                                getattr(error, "path", project.mask_path(image_id)),
                                getattr(error, "reason", str(error)), project.folder)

    def _documents(self) -> list[tuple[Project, AnnotationDocument]]:
        """The open documents of writable projects: the ones held, the ones kept, the current one."""
        documents = list(self._held.items()) + self._recent.items()
        if self.document is not None and self.project is not None and not self.attached:
            documents.append(((self.project.folder, self.document.image_id), self.document))
        projects = {p.folder: p for p in self.registry.projects if not p.read_only}
        return [(projects[folder], doc) for (folder, _), doc in documents if folder in projects]

    def unsaved_documents(self) -> list[tuple[Project, AnnotationDocument]]:
        """(project, document) of every open document whose last edits are not on disk (their
        save failed), the least recently shown first."""
        return [(project, doc) for project, doc in self._documents() if not project.is_saved(doc)]

    def _update_save_status(self) -> None:
        self.save_status.update({(p.folder, d.image_id): d.image_id for p, d in self.unsaved_documents()})

    def _save_unsaved(self) -> None:
        """A save succeeded (there is room again): save the open documents whose last save failed,
        so that their edits do not wait for their document to be let go or the window to close."""
        self._saving_unsaved = True
        try:
            for project, doc in self.unsaved_documents():
                try:
                    project.save_document(doc)
                except ProjectError as exc:
                    self._save_failed(project, doc.image_id, exc)  # counted; tried again with the next save
        finally:
            self._saving_unsaved = False
        self._release_held()
        self._update_save_status()  # the status bar says which were saved

    def _release_held(self) -> None:
        """Let the held documents that are saved now go."""
        for (folder, image_id), doc in list(self._held.items()):
            project = next((p for p in self.registry.projects if p.folder == folder), None)
            if project is None or project.read_only or project.is_saved(doc):
                del self._held[(folder, image_id)]

    def confirm_close(self, parent: QWidget | None = None) -> bool:
        """Before the window closes: finish any stroke and save what is not saved; while some edits
        still cannot be saved, ask (`save_status.ask`) Retry / Discard / Cancel. True: the window
        may close (all saved, or the user discards them); False: Cancel, all stays as it was."""
        self.gestures.finish()
        while True:
            self._save_unsaved()
            problem = self.save_status.problem
            if not self.unsaved_documents() or problem is None:
                return True
            choice = self.save_status.ask(parent, problem)
            if choice is CloseChoice.CANCEL:
                return False
            if choice is CloseChoice.DISCARD:
                self._discarded = True
                return True

    def close(self) -> None:
        """Finish any stroke, save what was not saved and release the projects' locks (window
        closing); edits that still cannot be saved are told lost, unless the user discarded them
        (`confirm_close`)."""
        self.gestures.finish()
        self._close_document()
        self._recent.drop_all()  # each tried once more; held when that fails
        self._release_held()
        lost = self.unsaved_documents()
        if lost and not self._discarded:
            self.problem.emit([self._lost(project, doc) for project, doc in lost])
        self._held.clear()
        self.attached_key = None
        self.registry.close()

    def _lost(self, project: Project, doc: AnnotationDocument) -> OpenError:
        failure = self.save_status.failure((project.folder, doc.image_id))
        path, reason = (failure.path, failure.reason) if failure is not None else \
            (project.mask_path(doc.image_id), "not saved")
        return OpenError(path, f"Could not save {doc.image_id}: {reason} - its last edits are lost")

    # --- editing guards ------------------------------------------------------------------------
    @property
    def writable(self) -> bool:
        """A document is open and may be edited (an attached one always, a project's unless read-only)."""
        if self.document is None:
            return False
        return self.attached or (self.project is not None and not self.project.read_only)

    def editable(self, needs_probability: bool = False) -> AnnotationDocument | None:
        """The current document when it may be edited now; otherwise says why and returns None."""
        doc, project = self.document, self.project
        if doc is None and self.attached:
            self.message.emit(f"No mask to edit for {self.attached_key}", 4000)
            return None
        if doc is None or (project is None and not self.attached):
            self.message.emit("No annotation project for this image (open its folder or dataset)", 4000)
            return None
        if project is not None and project.read_only:
            self.message.emit(f"Read-only project: {project.read_only_reason}", 4000)
            return None
        if needs_probability and doc.probability is None:
            self.message.emit(self.no_prediction_hint(), 6000)
            return None
        return doc

    def _window_run_action(self) -> QAction | None:
        """The parent window's ``analysis.action_run`` (`app.analysis.controller.AnalysisController`)."""
        action = getattr(getattr(self.parent(), "analysis", None), "action_run", None)
        return action if isinstance(action, QAction) else None

    def run_model_keys(self) -> str:
        """The key of the window's Run on This Image as shown in menus ("Ctrl+R"), "" when none."""
        action = self.find_run_action()
        keys = action.shortcut() if action is not None else QKeySequence()
        return keys.toString(QKeySequence.SequenceFormat.NativeText)

    def no_prediction_hint(self) -> str:
        """What a prediction tool says when the document has no probability: what to do about it."""
        if self.attached:
            return (f"No prediction for {self.attached_key} yet: load a model in the Video panel (Model…) "
                    "or wait until it has predicted this frame")
        keys = self.run_model_keys()
        how = f"run the model ({keys})" if keys else "run the model (Analysis ▸ Run on This Image)"
        return f"No prediction for this image yet: {how} first"

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool:
        """Apply a whole-image operation (clean-up, accept prediction) as one undo step."""
        doc = self.editable(needs_probability)
        if doc is None:
            return False
        self.gestures.finish()
        changed = bool(operation(doc))
        self.message.emit(f"{label}: {'done' if changed else 'nothing to change'}", 3000)
        return changed

    # --- undo, status --------------------------------------------------------------------------
    def undo(self) -> bool:
        if self.gestures.take_back_vertex():  # as labelme and CVAT do
            return True
        self.gestures.finish()
        return self.document is not None and self.editable() is not None and self.document.undo()

    def redo(self) -> bool:
        self.gestures.finish()
        return self.document is not None and self.editable() is not None and self.document.redo()

    def set_status(self, status: Status) -> None:
        """Set the review status of the current image's document (attached documents have none)."""
        if self.attached:
            self.message.emit(f"{self.attached_key} has no review status", 3000)
            return
        doc = self.editable()
        if doc is not None:
            self.gestures.finish()
            doc.set_status(status)
            self.message.emit(f"{doc.image_id}: {status.value}", 3000)

    def _on_state_changed(self, name: str) -> None:
        if name == "tool":  # after the gestures' message (the tool's name): this one stays
            doc = self.document
            if self.state.tool.needs_probability and self.writable and doc is not None and doc.probability is None:
                self.message.emit(self.no_prediction_hint(), 6000)
        elif name == "opacity":
            self.layer.set_opacity(self.state.opacity)
        elif name == "outline":
            self.layer.set_outline(self.state.outline)

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

    def accept_prediction(self) -> bool:
        """Take the model's prediction as the mask (image PREDICTED). A prediction without smoke on an
        unlabeled image is recorded too, as a smoke-free image, and the status bar says so."""
        changed = self.run("Accept prediction",
                           lambda d: cleanup.accept_prediction(d, self.state.threshold), needs_probability=True)
        doc = self.document
        if changed and doc is not None and not (doc.mask == SMOKE).any():
            self.message.emit("Accept prediction: no smoke predicted; saved as a smoke-free image "
                              "(Undo takes it back)", 5000)
        return changed

    def copy_previous_mask(self) -> bool:
        """Replace this image's mask by the saved mask of the image Previous Image goes to (the
        listed one before it), as one undo step: a starting point for the next frame of a
        sequence. Says why when there is nothing to copy."""
        if self.attached:
            self.message.emit("Video frames carry their mask to the next frame themselves", 4000)
            return False
        doc = self.editable()
        if doc is None:
            return False
        index = self.session.neighbour(-1)
        if index < 0 or index == self.session.current_index:
            self.message.emit("No previous image to copy a mask from", 4000)
            return False
        path = self.session.paths[index]
        found = self.registry.lookup(path)
        mask = found[0].load_mask(found[1]) if found is not None else None
        if mask is None:
            self.message.emit(f"{path.name} has no mask yet: nothing to copy", 4000)
            return False
        try:
            return self.run(f"Copy the mask of {path.name}",
                            lambda d: cleanup.copy_mask(d, mask, source=path.name))
        except ValueError as exc:
            self.message.emit(f"Not copied: {exc}", 6000)
            return False

    def threshold_to_mask(self) -> bool:
        return self.run("Threshold to mask",
                        lambda d: cleanup.threshold_to_mask(d, self.state.threshold), needs_probability=True)

