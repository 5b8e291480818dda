"""The annotation document: one image's editable mask, its probability map, status and history.

Plain Python + numpy, no Qt. The canvas binds to a document through `events` (repaint only the
dirty rectangle it carries) and edits it through the tool functions of
`fosp_core.annotation.tools`, all in image coordinates.

Arrays (H, W = image height and width):

- ``mask``: uint8 (H, W), 0 background, 1 smoke, 255 ignore (`fosp_core.data.types`). Read it
  freely; change it only through the document (`modify`, `apply_patch`, `replace_mask`) or the
  tools, so every change is recorded for undo and announced.
- ``probability``: float32 (H, W) in [0, 1], the model's smoke probability, or None.
- ``label``: uint8 (H, W) 0/1/255 ground truth to compare against, or None (never edited).

Rectangles are (y0, y1, x0, x1) in rows/columns, end exclusive (``mask[y0:y1, x0:x1]``). Tools
take points as (x, y) = (column, row), like mouse positions.

Undo: every change made between `begin_step(label)` and `end_step()` (or inside
``with doc.history_block(label):``) is one undo step. While a step is open the document keeps a
copy of each 256x256 tile the first time it is touched; at the end only the changed sub-rectangle
of each touched tile is stored (bit-packed and compressed), see `fosp_core.annotation.history`; a
step prepared elsewhere (a worker: `fosp_core.annotation.prepared`) lands whole by `commit_prepared`.

Every finished step, undo and redo (and status change) emits ``committed`` with a `Commit`;
that is where a project saves (`fosp_core.annotation.project`). The "history" event follows it, so
a view that refreshes on it reads the project as saved. All methods are meant to be called
from one thread (the GUI thread); nothing here locks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from fosp_core.annotation.document_arrays import Status, checked_mask, checked_probability
from fosp_core.annotation.events import Commit, DocumentEvent, Signal
from fosp_core.annotation.history import History, Patch, Rect, Step, bounding_box, clip_rect, union_rect
from fosp_core.annotation.prepared import TILE, PreparedStep, StaleStep

__all__ = ["AnnotationDocument", "Commit", "DocumentEvent", "Signal", "Status", "TILE", "bounding_box", "clip_rect",
           "StaleStep"]

_MASK_VERSIONS = itertools.count(1)  # `AnnotationDocument.mask_version`s, unique in the process


class AnnotationDocument:
    """One image's editable mask with history, status and change events (see module doc).

    image_shape: (H, W) or (H, W, C) of the image being annotated.
    mask: uint8 (H, W) 0/1/255 starting mask (copied); None -> all background.
    probability: float32-convertible (H, W) smoke probability in [0, 1], or None.
    label: uint8 (H, W) reference mask, or None.
    status: starting `Status` (a plain string value is accepted).
    image_id: free identifier (the project uses the image id).
    max_undo_steps / max_undo_bytes: bounds of the history.
    """

    def __init__(self, image_shape: tuple[int, ...], mask: np.ndarray | None = None,
                 probability: np.ndarray | None = None, label: np.ndarray | None = None,
                 status: Status | str = Status.UNLABELED, *, image_id: str = "",
                 max_undo_steps: int = 256, max_undo_bytes: int = 160 * 1024 * 1024) -> None:
        if len(image_shape) < 2 or image_shape[0] <= 0 or image_shape[1] <= 0:
            raise ValueError(f"image_shape must be (H, W[, C]) with H, W > 0, got {image_shape}")
        self.shape: tuple[int, int] = (int(image_shape[0]), int(image_shape[1]))
        self.image_id = image_id
        if mask is None:
            self._mask = np.zeros(self.shape, np.uint8)
        else:
            self._mask = self._checked(mask, "mask").copy()
        self._probability: np.ndarray | None = None
        self._label: np.ndarray | None = None
        if probability is not None:
            self._probability = self._checked_probability(probability)
        if label is not None:
            self._label = self._checked(label, "label").copy()
        self._status = Status(status)
        self.history = History(max_undo_steps, max_undo_bytes)
        self.events = Signal()  # emits DocumentEvent
        self.committed = Signal()  # emits Commit
        self.revision = 0  # +1 per commit
        self._depth = 0
        self._step_label = ""
        self._step_status: Status | None = None
        self._step_status_set = False  # set_status was called inside the open step
        self._snapshots: dict[tuple[int, int], np.ndarray] = {}
        self._mask_version = next(_MASK_VERSIONS)

    # ----------------------------------------------------------------------------- state
    @property
    def height(self) -> int:
        return self.shape[0]

    @property
    def width(self) -> int:
        return self.shape[1]

    @property
    def mask(self) -> np.ndarray:
        """uint8 (H, W) 0/1/255; read-only view (change it through the document or the tools)."""
        view = self._mask.view()
        view.flags.writeable = False
        return view

    @property
    def mask_version(self) -> int:
        """Changes whenever the mask may have changed (an edit, undo, redo, a cancelled step; not a
        status change) and is unique in the process, across documents: a project that saved the
        mask of version v knows a later save of version v has no pixel to write."""
        return self._mask_version

    @property
    def probability(self) -> np.ndarray | None:
        """float32 (H, W) smoke probability in [0, 1], or None."""
        return self._probability

    @property
    def label(self) -> np.ndarray | None:
        """uint8 (H, W) 0/1/255 reference mask, or None."""
        return self._label

    @property
    def status(self) -> Status:
        return self._status

    @property
    def in_step(self) -> bool:
        """True while an undo step is open (a stroke in progress)."""
        return self._depth > 0

    @property
    def can_undo(self) -> bool:
        return self.history.can_undo

    @property
    def can_redo(self) -> bool:
        return self.history.can_redo

    def set_probability(self, probability: np.ndarray | None) -> None:
        """Attach (or drop) the model's probability map; not an undo step."""
        self._probability = None if probability is None else self._checked_probability(probability)
        self.events.emit(DocumentEvent("probability", (0, self.height, 0, self.width)))

    def set_label(self, label: np.ndarray | None) -> None:
        """Attach (or drop) the reference mask; not an undo step."""
        self._label = None if label is None else self._checked(label, "label").copy()
        self.events.emit(DocumentEvent("label", (0, self.height, 0, self.width)))

    def set_status(self, status: Status | str, *, label: str = "status") -> None:
        """Change the status as its own undo step ("mark reviewed"); inside an open step it joins it
        (and the step's pixel changes then leave this status, not EDITED)."""
        status = Status(status)
        if self._depth:
            self._step_status_set = True
            if status != self._status:
                self._set_status_quiet(status)
            return
        if status == self._status:
            return
        before = self._status
        self._set_status_quiet(status)
        self.history.push(Step(label, [], before.value, status.value))
        self._announce_commit("status", label)

    # ----------------------------------------------------------------------------- steps
    def begin_step(self, label: str) -> None:
        """Open an undo step (nested calls join the outermost one)."""
        if self._depth == 0:
            self._step_label = label
            self._step_status = self._status
            self._step_status_set = False
            self._snapshots = {}
        self._depth += 1

    def end_step(self) -> bool:
        """Close the step opened by `begin_step`; returns True when the outermost step recorded a change.

        A step that changed pixels turns the status to EDITED (unless the step itself set another
        status), is pushed on the history and emits ``committed``.
        """
        if self._depth == 0:
            raise RuntimeError("end_step() without begin_step()")
        self._depth -= 1
        if self._depth:
            return False
        patches = self._collect_patches()
        self._snapshots = {}
        before = self._step_status or self._status
        if patches and not self._step_status_set and before != Status.EDITED:
            self._set_status_quiet(Status.EDITED)
        if not patches and self._status == before:
            return False
        self.history.push(Step(self._step_label, patches, before.value, self._status.value))
        self._announce_commit("edit", self._step_label)
        return True

    def cancel_step(self) -> None:
        """Abandon the open step: restore every touched pixel and the status; nothing is recorded."""
        if self._depth == 0:
            return
        self._depth = 0
        dirty: Rect | None = None
        for (ty, tx), old in self._snapshots.items():
            y0, x0 = ty * TILE, tx * TILE
            rect = (y0, y0 + old.shape[0], x0, x0 + old.shape[1])
            self._mask[rect[0]:rect[1], rect[2]:rect[3]] = old
            dirty = union_rect(dirty, rect)
        self._snapshots = {}
        if dirty is not None:
            self._mask_version = next(_MASK_VERSIONS)
        if self._step_status is not None and self._step_status != self._status:
            self._set_status_quiet(self._step_status)
        if dirty is not None:
            self.events.emit(DocumentEvent("mask", dirty))

    @contextmanager
    def history_block(self, label: str) -> Iterator[AnnotationDocument]:
        """``with doc.history_block("fill holes"):`` - everything inside is one undo step.

        An exception inside cancels the step (the mask is restored) and propagates.
        """
        self.begin_step(label)
        try:
            yield self
        except BaseException:
            self.cancel_step()
            raise
        self.end_step()

    # ----------------------------------------------------------------------------- editing
    @contextmanager
    def modify(self, rect: Rect, *, label: str = "edit") -> Iterator[np.ndarray | None]:
        """Yield a writable uint8 view of ``mask[y0:y1, x0:x1]`` (clipped to the image).

        The old pixels are saved for undo before the caller writes, and a "mask" event with the
        rectangle is emitted afterwards. Outside an open step the change is its own step
        (labelled `label`). Yields None when the rectangle lies outside the image.
        """
        clipped = clip_rect(rect, self.shape)
        with self.history_block(label):
            if clipped is None:
                yield None
                return
            self._snapshot(clipped)
            self._mask_version = next(_MASK_VERSIONS)
            y0, y1, x0, x1 = clipped
            yield self._mask[y0:y1, x0:x1]
            self.events.emit(DocumentEvent("mask", clipped))

    def apply_patch(self, rect: Rect, values: np.ndarray | int, where: np.ndarray | None = None, *,
                    label: str = "edit") -> None:
        """Write `values` into ``mask[y0:y1, x0:x1]``, only where `where` is True when given.

        rect must lie inside the image. values: uint8 array of the rectangle's shape or a scalar;
        where: bool array of the rectangle's shape or None.
        """
        clipped = clip_rect(rect, self.shape)
        if clipped != tuple(int(v) for v in rect):
            raise ValueError(f"rect {rect} is not inside the {self.shape} image")
        with self.modify(clipped, label=label) as view:
            assert view is not None
            if where is None:
                view[...] = values
            elif np.isscalar(values):
                view[where] = values
            else:
                view[where] = np.asarray(values)[where]

    def replace_mask(self, new_mask: np.ndarray, *, label: str = "replace mask") -> bool:
        """Set the whole mask (uint8 (H, W) 0/1/255) as one step; only changed pixels are touched.

        Returns False (and records nothing) when nothing changes.
        """
        new_mask = self._checked(new_mask, "new mask")
        changed = new_mask != self._mask
        rect = bounding_box(changed)
        if rect is None:
            return False
        y0, y1, x0, x1 = rect
        self.apply_patch(rect, new_mask[y0:y1, x0:x1], changed[y0:y1, x0:x1], label=label)
        return True

    def commit_prepared(self, step: PreparedStep) -> bool:
        """Record `step`, computed from this mask at its `version` (on a worker, say), as one undo step:
        its new values written, the events and ``committed`` an `end_step` sends. False (nothing
        recorded): it changes neither pixels nor status; `StaleStep`: the mask is no longer at that
        version or a step is open (prepare it again)."""
        if self._depth or step.version != self._mask_version:
            raise StaleStep(f"{step.label}: prepared at mask version {step.version}, now {self._mask_version}")
        before = self._status
        after = Status(step.status) if step.status is not None else Status.EDITED if step.patches else before
        if not step.patches and after == before:
            return False
        recorded = Step(step.label, list(step.patches), before.value, after.value)
        self._apply_step(recorded, forward=True, values=step.values)
        self.history.push(recorded)
        self._announce_commit("edit", step.label)
        return True

    # ----------------------------------------------------------------------------- undo
    def undo(self) -> bool:
        """Undo the newest step (an open step is finished first). Returns False when there is none."""
        while self._depth:
            self.end_step()
        step = self.history.pop_undo()
        if step is None:
            return False
        self._apply_step(step, forward=False)
        self._announce_commit("undo", step.label)
        return True

    def redo(self) -> bool:
        """Redo the most recently undone step. Returns False when there is none."""
        if self._depth:
            return False
        step = self.history.pop_redo()
        if step is None:
            return False
        self._apply_step(step, forward=True)
        self._announce_commit("redo", step.label)
        return True

    # ----------------------------------------------------------------------------- internals
    def _apply_step(self, step: Step, *, forward: bool, values: np.ndarray | None = None) -> None:
        patches, rect = step.patches if forward else list(reversed(step.patches)), step.rect
        if patches:
            self._mask_version = next(_MASK_VERSIONS)
        if values is not None and rect is not None:
            self._mask[rect[0]:rect[1], rect[2]:rect[3]] = values
        for patch in patches if values is None else ():
            y0, y1, x0, x1 = patch.rect
            self._mask[y0:y1, x0:x1] = patch.new if forward else patch.old
        if rect is not None:
            self.events.emit(DocumentEvent("mask", rect))
        status = step.status_after if forward else step.status_before
        if status is not None and Status(status) != self._status:
            self._set_status_quiet(Status(status))

    def _announce_commit(self, kind: str, label: str) -> None:
        self.revision += 1
        # saving first: views refreshing on "history" (a worklist by status) find the commit saved
        self.committed.emit(Commit(kind, label, self.revision))
        self.events.emit(DocumentEvent("history"))

    def _set_status_quiet(self, status: Status) -> None:
        self._status = status
        self.events.emit(DocumentEvent("status"))

    def _snapshot(self, rect: Rect) -> None:
        y0, y1, x0, x1 = rect
        for ty in range(y0 // TILE, (y1 - 1) // TILE + 1):
            for tx in range(x0 // TILE, (x1 - 1) // TILE + 1):
                if (ty, tx) not in self._snapshots:
                    self._snapshots[(ty, tx)] = self._mask[ty * TILE:(ty + 1) * TILE,
                                                           tx * TILE:(tx + 1) * TILE].copy()

    def _collect_patches(self) -> list[Patch]:
        patches: list[Patch] = []
        for (ty, tx), old in sorted(self._snapshots.items()):
            ty0, tx0 = ty * TILE, tx * TILE
            cur = self._mask[ty0:ty0 + old.shape[0], tx0:tx0 + old.shape[1]]
            sub = bounding_box(cur != old)
            if sub is None:
                continue
            y0, y1, x0, x1 = sub
            rect = (ty0 + y0, ty0 + y1, tx0 + x0, tx0 + x1)
            patches.append(Patch.from_arrays(rect, old[y0:y1, x0:x1], cur[y0:y1, x0:x1]))
        return patches

    def _checked(self, array: np.ndarray, what: str) -> np.ndarray:
        return checked_mask(array, self.shape, what)

    def _checked_probability(self, probability: np.ndarray) -> np.ndarray:
        return checked_probability(probability, self.shape)
