"""The annotation state of one video: keyframes, edited frames and per-frame masks, saved on every
commit (carrying a mask to the next frame and temporal smoothing: :mod:`fosp_core.video.carry`).

Storage (a project-like folder, default ``<video folder>/.fosp/video-<stem>/``)::

    video.json             {"format": "fosp-video", "version": 1, "video", "frame_count",
                            "keyframes": [...], "edited": [...], "frame_numbering": "display-order-v1",
                            "frames_to_check": [...]} (unknown keys are kept)
    masks/<stem>_<frame:06d>.png   SmokeSeg palette PNG (0 background, 1 smoke, 255 ignore)
    lock                   one process writes the folder; others read it only (fosp_core.video.folder_lock)

The format's checks and record: :mod:`fosp_core.video.state_format`; the folder and the frames' names:
:mod:`fosp_core.video.naming`.

``frame_numbering`` names the frame numbering the masks were saved under (:data:`NUMBERING`, written on
every save since 2026-12-06; a file without it was saved before, when a constant-rate file was numbered by
time × fps until its packet scan was done). ``frames_to_check``: frames whose masks
:mod:`fosp_core.video.numbering_check` found may lie on another picture, kept until each is saved again.
Keyframe and edited marks past the frame count (a file cut short) are kept in the file as they were. The
frame count is the frames the reader can read: a video's is known once its packets are indexed (a file cut
short reads fewer than its header counts), and :meth:`VideoAnnotations.set_frame_count` sets it then.

Every write is atomic and fsync'ed (`fosp_core.annotation.storage.atomic_write`), as image masks
are; a ``video.json`` that cannot be written is kept in memory and written again later
(:mod:`fosp_core.video.state_saves`). With ``save_in_background`` (the app) a commit's mask is written by a save thread, its record logged
first (``masks/<id>.png.recovery``; :mod:`fosp_core.video.frame_saves`): reads apply the log, an opening
applies the logs a killed process left. Frames are edited through ordinary :class:`~fosp_core.annotation.document.AnnotationDocument`
objects (so the image tools and undo work unchanged); :meth:`VideoAnnotations.document` returns one that saves itself after every
commit and marks its frame edited.

Undo takes the mark back: a frame that was not edited when its document was opened is unmarked
again, and its saved mask removed, when a commit (an undo, typically) leaves the document with
nothing to undo and its mask equal to the one it was opened with; redo marks and saves it again. A
frame that was edited when its document was opened keeps its mark whatever is undone (its mask is
saved as after any commit).

Which mask files exist is read from the mask folder when the video opens (and by
:meth:`VideoAnnotations.refresh`) and kept up to date by the timeline's own saves and removals: it
is the only writer while the video is open, so a frame change asks the file system nothing (a stat
a frame was 188 ms of the GUI thread's slow turns on a network share). A mask file removed behind
its back reads as no mask (the frame opens empty, its edited mark stays) and leaves the list when
that read finds it gone; one added behind its back is seen after ``refresh()``. The app reads a shown
frame's mask file off the GUI thread (:meth:`VideoAnnotations.reads_mask_file`, then ``document(saved=...)``):
on a share that stopped answering that read held the window (`app.video.frame_opening`).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.annotation.document import AnnotationDocument, Commit, Signal, Status
from fosp_core.annotation.entries import read_json
from fosp_core.annotation.recent import RECENT_DOCUMENTS, RecentDocuments
from fosp_core.annotation.recovery import log_path
from fosp_core.data.types import SMOKE
from fosp_core.io.atomic import fsync_dir
from fosp_core.io.masks import MaskReadError
from fosp_core.video.carry import CarryMode, carry_mask, smooth_probability
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.folder_lock import FolderLock
from fosp_core.video.frame_files import listed_frames
from fosp_core.video.frame_saves import BackgroundFrameSaves, read_saved, replace_saved
from fosp_core.video.log_recovery import open_mask_folder
from fosp_core.video.naming import frame_id, frame_stem, legacy_frame_stem, own_folder, state_folder
from fosp_core.video.state_format import NUMBERING, checked_state, state_record, unknown_keys
from fosp_core.video.state_saves import STATE_FILE, StateSaves, damaged_words

__all__ = ["NUMBERING", "RECENT_DOCUMENTS", "UNREAD", "CarryMode", "Unread", "VideoAnnotationError", "VideoAnnotations", "carry_mask", "frame_id",
           "own_folder", "smooth_probability", "state_folder"]


class Unread(Enum):
    """The type of :data:`UNREAD` alone."""

    UNREAD = "unread"


#: `VideoAnnotations.document`'s `saved` when the caller has not read the frame's mask (read there).
UNREAD = Unread.UNREAD


@dataclass(frozen=True)
class _Opening:
    """What a frame's document was opened with: the frame's edited mark then and its mask (None:
    all background)."""

    edited: bool
    mask: np.ndarray | None

    def returned_to(self, doc: AnnotationDocument) -> bool:
        """`doc` is back as it was opened, on a frame nobody had edited: nothing left to undo (so a
        painted and erased frame, an explicit empty mask, stays edited) and the opening mask (a history
        trimmed of its oldest steps has nothing to undo either)."""
        if self.edited or doc.can_undo:
            return False
        return not doc.mask.any() if self.mask is None else bool(np.array_equal(doc.mask, self.mask))


class VideoAnnotations(FolderLock, StateSaves, BackgroundFrameSaves):
    """Keyframes, edited frames and masks of one video (see module doc; background saves: its base).

    events emits ("keyframes", None), ("edited", index) and ("saved", index) /
    ("save_failed", index) tuples; ("state_failed", None) / ("state_saved", None): video.json (its base).
    """

    def __init__(self, video: Path, frame_count: int, shape: tuple[int, int], *, stem: str | None = None,
                 folder: Path | None = None, lock: bool = True) -> None:
        super().__init__()
        self.video = Path(video)
        self.frame_count = int(frame_count)
        self.shape = (int(shape[0]), int(shape[1]))
        self._name = stem or (self.video.stem if self.video.suffix else self.video.name)
        self.stem = frame_stem(self._name)  # or, once the mask folder is listed, the one its frames were saved with
        self.folder = Path(folder) if folder is not None else state_folder(self.video)
        self.events = Signal()
        self.keyframes: set[int] = set()
        self.edited: set[int] = set()
        self._extra: dict[str, Any] = {}
        self._recent: RecentDocuments[int] = RecentDocuments()
        self.last_error: VideoAnnotationError | None = None
        #: remarks for the user made while loading (a damaged state file set aside)
        self.warnings: list[str] = []
        #: frames whose mask file is known to exist (see module doc)
        self._on_disk: set[int] = set()
        #: every frame number with a mask file in the folder, past the frame count too (a file cut short)
        self.mask_files: frozenset[int] = frozenset()
        #: the numbering the saved masks were saved under (None: saved before it was recorded, or nothing saved)
        self.saved_numbering: str | None = None
        #: frames whose saved mask may lie on another picture (numbering_check), until saved again
        self.frames_to_check: set[int] = set()
        #: keyframe / edited marks past the frame count, written back as they were
        self._beyond: dict[str, set[int]] = {"keyframes": set(), "edited": set()}
        self._undone: set[int] = set()  # frames whose recovery log says "no mask" (undone): no edited mark
        self.open_folder(lock)  # its lock taken (or read-only, saying why), then `_load`: fosp_core.video.folder_lock

    # --- files ---------------------------------------------------------------------------------
    @property
    def mask_folder(self) -> Path:
        return self.folder / "masks"

    def mask_path(self, index: int) -> Path:
        return self.mask_folder / f"{frame_id(self.stem, index)}.png"

    def _load(self) -> None:
        """Read ``video.json``. Frames with a saved mask count as edited even where the state file
        missed them (a crash between the two writes); an unparsable state file (left damaged by a
        crash) is set aside as ``video.json.damaged`` and only its keyframes are lost (see warnings)."""
        path = self.folder / STATE_FILE
        # one listing of the mask folder: a killed atomic write's .<name>.<random>.tmp files removed and a killed
        # process's commits written (module doc), unless read-only (read with them); the frames undone before
        # their logs go too
        look = open_mask_folder(self.folder, self.stem, not self.read_only, legacy_frame_stem(self._name))
        self.stem, self._undone = look.stem, look.undone  # the stem of frames saved by earlier versions kept (merged)
        self.warnings += look.remarks
        self.mask_files = frozenset(look.files)
        on_disk = {i for i in self.mask_files if 0 <= i < self.frame_count}
        self._on_disk = set(on_disk)
        self.edited = set(on_disk)
        if not path.is_file():
            return
        try:
            data = read_json(path.read_bytes())  # a byte order mark read past; too deep nesting: ValueError
        except OSError as exc:
            raise VideoAnnotationError(path, f"unreadable annotation state ({exc})") from exc
        except ValueError as exc:
            aside = path.with_name(f"{STATE_FILE}.damaged")
            if not self.read_only:  # a reader leaves it as it is
                with contextlib.suppress(OSError):
                    os.replace(path, aside)
            self.warnings.append(damaged_words(path, exc, len(on_disk), self.read_only, self.read_only_reason))
            return
        data = checked_state(path, data)
        self.saved_numbering = data.get("frame_numbering")
        self.frames_to_check = set(data.get("frames_to_check", []))
        self.keyframes = {v for v in data["keyframes"] if 0 <= v < self.frame_count} if "keyframes" in data else set()
        self.edited |= {v for v in data.get("edited", []) if 0 <= v < self.frame_count} - self._undone
        for key in ("keyframes", "edited"):
            self._beyond[key] = {v for v in data.get(key, []) if v >= self.frame_count}
        self._extra = unknown_keys(data)

    def _frames_with_masks(self) -> set[int]:
        """Frames of this video with a mask in the mask folder (`saved_frames`: a log saying "no mask" counts
        none; all of them, past the frame count too, in ``mask_files``)."""
        files, self._undone = listed_frames(self.mask_folder, self.stem)  # undone: their marks taken back too
        self.mask_files = frozenset(files)
        return {i for i in self.mask_files if 0 <= i < self.frame_count}

    def refresh(self) -> None:
        """Read again which mask files exist (one listing of the mask folder), after another program
        changed them; frames found with a mask count as edited (as on open)."""
        self._on_disk = self._frames_with_masks()
        added = self._on_disk - self.edited
        if added:
            self.edited |= added
            self.save_state()
            self.events.emit(("edited", min(added)))

    def set_frame_count(self, frame_count: int) -> None:
        """Make `frame_count` the video's frame count (its readable frames, once indexed): the keyframe and
        edited marks and the known mask files are split again at it, as a load with that count would (the
        marks past it are kept in the state file, the masks on disk); emits the marks' events if any moved."""
        frame_count = int(frame_count)
        if frame_count == self.frame_count:
            return
        self.frame_count = frame_count
        marks = {"keyframes": self.keyframes | self._beyond["keyframes"],
                 "edited": self.edited | self._beyond["edited"] | self._on_disk}
        self._on_disk = {i for i in self.mask_files if 0 <= i < frame_count}
        marks["edited"] |= self._on_disk
        before = (set(self.keyframes), set(self.edited))
        self.keyframes = {v for v in marks["keyframes"] if 0 <= v < frame_count}
        self.edited = {v for v in marks["edited"] if 0 <= v < frame_count}
        for key, values in marks.items():
            self._beyond[key] = {v for v in values if v >= frame_count}
        if self.keyframes != before[0]:
            self.events.emit(("keyframes", None))
        if self.edited != before[1]:
            self.events.emit(("edited", min(self.edited ^ before[1])))

    def has_mask(self, index: int) -> bool:
        """Whether frame `index`'s mask file is known to exist (no file system call; see module doc)."""
        return index in self._on_disk

    def _state_data(self) -> dict[str, Any]:
        """What ``video.json`` holds now (written by `save_state`: `fosp_core.video.state_saves`)."""
        return state_record(self.video, self.frame_count, self.keyframes | self._beyond["keyframes"],
                            self.edited | self._beyond["edited"], self.frames_to_check, self._extra)

    def load_mask(self, index: int) -> np.ndarray | None:
        """The saved uint8 (H, W) mask of frame `index`, or None (none known to exist, or removed by
        another program since: then it is known not to exist from now on). Reads no file and makes no
        stat for a frame without a mask."""
        if index not in self._on_disk:
            return None
        if (queued := self.committed_mask(index)) is not None:  # its record still queued: not in its files yet
            return queued
        path = self.mask_path(index)
        try:
            mask = read_saved(path)  # with the records of its recovery log, if any (a save pending or failed)
        except MaskReadError as exc:
            raise VideoAnnotationError(path, exc.reason) from exc
        if mask is None:  # removed behind our back
            self._on_disk.discard(index)
            return None
        return mask if mask.shape == self.shape else None

    def save_mask(self, index: int, mask: np.ndarray) -> None:
        """Save frame `index`'s mask and mark it edited (atomic; its background saves waited for first, its
        recovery log removed after); raises VideoAnnotationError."""
        self.check_writable(self.mask_path(index))
        self.settle(index)
        try:
            self.mask_folder.mkdir(parents=True, exist_ok=True)
            replace_saved(self.mask_path(index), mask)  # fsync'ed, as images; over a kept log: frame_saves
        except (OSError, ValueError) as exc:
            raise VideoAnnotationError(self.mask_path(index), f"cannot save: {exc}") from exc
        self._on_disk.add(index)
        self.mask_files |= {index}
        newly = index not in self.edited
        if newly or index in self.frames_to_check:
            self.edited.add(index)
            self.frames_to_check.discard(index)  # saved again under today's numbering: checked
            self.save_state()
        if newly:
            self.events.emit(("edited", index))
        self.events.emit(("saved", index))

    def forget_mask(self, index: int) -> None:
        """Remove frame `index`'s saved mask and its edited mark (the mask first: a crash in between
        leaves a mark without a mask, which export skips); raises VideoAnnotationError."""
        path = self.mask_path(index)
        self.check_writable(path)
        self.settle(index)  # its background saves first (a later one would write the mask again)
        try:
            log_path(path).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise VideoAnnotationError(path, f"cannot remove: {exc}") from exc
        try:  # the removals made durable: a power loss would bring the undone mask back (its log too)
            fsync_dir(self.mask_folder)
            not_durable = None
        except OSError as exc:
            not_durable = VideoAnnotationError(path, f"removed, but cannot make it durable: {exc}")
        self._on_disk.discard(index)
        self.mask_files -= {index}
        self.frames_to_check.discard(index)
        if index in self.edited:
            self.edited.discard(index)
            self.save_state()
            self.events.emit(("edited", index))
        if not_durable is not None:
            raise not_durable
        self.events.emit(("saved", index))

    # --- keyframes -----------------------------------------------------------------------------
    def set_keyframe(self, index: int, on: bool = True) -> None:
        if not 0 <= index < self.frame_count or (index in self.keyframes) == on or self.read_only:
            return
        (self.keyframes.add if on else self.keyframes.discard)(index)
        self.save_state()
        self.events.emit(("keyframes", None))

    def toggle_keyframe(self, index: int) -> bool:
        """Flip frame `index`'s keyframe mark; returns whether it is a keyframe now."""
        self.set_keyframe(index, index not in self.keyframes)
        return index in self.keyframes

    def labelled_frames(self) -> list[int]:
        """Frames with a saved mask (known to exist: see module doc), sorted."""
        return sorted(self.edited & self._on_disk)

    # --- documents -----------------------------------------------------------------------------
    def reads_mask_file(self, index: int) -> bool:
        """Whether `document(index)` would read frame `index`'s mask file (a mask file known, no document of it
        kept): the app reads it on a worker first (`load_mask`) and hands it over as `document`'s `saved`. Reads
        no file."""
        return index in self._on_disk and all(key != index for key, _doc in self._recent.items())

    def document(self, index: int, probability: np.ndarray | None = None,
                 saved: np.ndarray | None | Unread = UNREAD) -> AnnotationDocument:
        """An AnnotationDocument for frame `index` (its saved mask, or empty) that saves itself on
        every commit. The last RECENT_DOCUMENTS frames asked for get the same document back, with
        its undo history (and `probability` in place of the one it had). `saved`: frame `index`'s mask as
        `load_mask` read it just now (off the GUI thread: `reads_mask_file`), used when no document is kept;
        UNREAD: read here."""
        doc = self._recent.take(index)
        if doc is not None:
            doc.set_probability(probability)
        else:
            saved = self.load_mask(index) if saved is UNREAD else saved
            if saved is not None and saved.shape != self.shape:
                saved = None  # as load_mask says of a mask of another size
            doc = AnnotationDocument(self.shape, saved, probability, image_id=frame_id(self.stem, index))
            edited = index in self.edited  # then the opening's mask is not compared: the save thread's to patch
            opening = _Opening(edited, None if edited or saved is None or not saved.any() else saved.copy())
            doc.committed.connect(lambda commit, d=doc, i=index, o=opening: self._autosave(d, i, o, commit))
            self.watch_document(doc, index, saved)
        self._recent.keep(index, doc)
        return doc

    def _autosave(self, doc: AnnotationDocument, index: int, opening: _Opening, _commit: Commit) -> None:
        pending = self.state_error
        try:
            if opening.returned_to(doc):  # the background way: removed after its pending write, not waited for
                self.remove_in_background(index) if self.save_in_background else self.forget_mask(index)
            elif self.save_in_background:
                self.record_commit(doc, index)
            else:
                self.save_mask(index, doc.mask)
            self.last_error = None
        except VideoAnnotationError as exc:
            self.last_error = exc
            self.events.emit(("save_failed", index))
        if pending is not None and self.state_error is pending:  # video.json not tried by this save: now
            self.retry_state()

    def carry(self, doc: AnnotationDocument, previous: int, probability: np.ndarray | None = None,
              mode: CarryMode = "copy", threshold: float = 0.5, *, to: int | None = None,
              source: np.ndarray | None = None) -> bool:
        """Start `doc` (another frame: frame `to` where given) from frame `previous`'s saved mask, as one undo step.
        Returns False when `previous` has no mask or nothing changes. A smoke-free `previous` (its mask saved
        with no smoke: Accept Prediction's smoke-free frame) carried to a frame `to` with no mask records a step
        all the same (the status only): its empty mask is saved, a label as Accept Prediction's (the frame stayed
        unlabelled, 'that mask already' said, and an export skipped it). `source`: frame `previous`'s mask as read
        already (the app reads it off the GUI thread), else read here."""
        source = self.load_mask(previous) if source is None else source
        if source is None:
            return False
        if doc.replace_mask(carry_mask(source, probability, mode, threshold), label="carry mask"):
            return True
        if to is None or self.has_mask(to) or bool((source == SMOKE).any()) or doc.status == Status.EDITED:
            return False
        doc.set_status(Status.EDITED, label="carry mask")  # its commit saves the empty mask
        return True
