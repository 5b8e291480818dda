"""Annotation projects: masks and per-image state of a folder or dataset, saved after every commit.

Layout of a project folder (default ``<images folder or dataset>/.fosp/``)::

    project.json          format, image list, per-image status (see `fosp_core.annotation.entries`)
    changes.jsonl         the journal: per-image state saved since project.json was last written
    masks/<id>.png        SmokeSeg palette PNG (0 background, 1 smoke, 255 ignore)
    predictions/<id>.png  8-bit grayscale probability (round(255 p)), when stored
    lock                  {"pid", "host", "created", "user"} of the process editing the project

Saving: every committed edit writes the mask atomically (temp file, fsync, os.replace;
`fosp_core.annotation.storage`) and then appends the image's new state to the journal (fsynced), so
after a crash - ``kill -9`` included - reopening finds every edit whose commit returned. A commit
that changed only the status (mark reviewed, its undo) appends the journal line alone when the mask
file holds the document's mask already (`fosp_core.annotation.project_files.SavedMasks`). A save
costs the same in a project of 50 images or 100 000: ``project.json`` (about 240 bytes an image)
is rewritten in full only every `JOURNAL_LIMIT` changes, at the end of a `batch`, on `close` and
when a project with a journal is opened for writing, each time emptying the journal. That rewrite
(the journal's compaction) is no save's own record: when it fails (a disk too full for a whole
``project.json`` still takes a journal line) the save appends its line as any other, the failure is
kept in `Project.compaction_error`, and the rewrite is tried again `compaction_retry_lines` lines
later and on `close`. With `Project.compact_in_background` (the app) the rewrite that falls due
after a save runs on a worker thread while saves go on (`fosp_core.annotation.project_compaction`:
how the journal stays whole and a crash during it loses nothing); `finish_compaction` takes its
result. With `save_in_background` (the app) a commit appends a durable record to a recovery log and a
worker writes the PNG (`fosp_core.annotation.mask_saves`; opening applies a log a crash left). A failed save - its mask or its journal line could not be written (disk full,
folder became read-only) - raises `ProjectSaveError` and leaves the files as they were; the
document keeps the edit, and `save_document` can be called again.

Locking: opening takes the lock. When another live process holds it, the project opens read-only
and `read_only_reason` says "locked by pid N on host H (user U, since <time>)"; a lock left by a dead process on this
host is taken over. A folder that cannot be written also opens read-only.

The parts: `fosp_core.annotation.project_files` (where a project lives, its file names),
`fosp_core.annotation.project_images` (its images and the paths and arrays of their files),
`fosp_core.annotation.project_open` (creating, reading and locking on `Project.open`),
`fosp_core.annotation.project_documents` (reading an image's document from the files),
`fosp_core.annotation.project_import` (predictions and existing labels),
`fosp_core.annotation.project_journal_lines` (the journal's appends, `batch`), `fosp_core.annotation.entries`
(the format of project.json and the journal), `fosp_core.annotation.storage` (durable writes, the
lock); this module: the open project, its documents and the saving of its state.

Typical use (the app)::

    project = Project.open(folder)                 # creates or reopens folder/.fosp
    doc = project.open_document(project.ids[0])    # AnnotationDocument, autosaved on commit
    ... tools edit doc ...
    project.close()
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Unpack

import numpy as np

from fosp_core.annotation import mask_writes, project_import, status_saves
from fosp_core.annotation.dataset_listing import DatasetItems, follow_source
from fosp_core.annotation.document import AnnotationDocument, Signal, Status
from fosp_core.annotation.entries import (
    ImageEntry,
    ProjectError,
    ProjectFormatError,
    ProjectReadOnlyError,
    ProjectSaveError,
    journal_generation,
)
from fosp_core.annotation.foreign_shapes import ForeignLabels
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.mask_intents import resolve_intents
from fosp_core.annotation.mask_saves import BackgroundSaves
from fosp_core.annotation.project_compaction import (
    BackgroundCompactions,
    BackgroundRewrite,
    journal_max_generation,
)
from fosp_core.annotation.project_conflicts import conflicted_copies
from fosp_core.annotation.project_documents import SavedFiles, read_document
from fosp_core.annotation.project_files import (
    JOURNAL_FILE,
    PROJECT_DIR,
    PROJECT_FILE,
    SavedMasks,
    default_location,
    file_signature,
    folder_names,
    remove_stale_temps,
    unsure_generations,
    writable_folder,
)
from fosp_core.annotation.project_images import ProjectImages
from fosp_core.annotation.project_journal_lines import JournalLines
from fosp_core.annotation.project_listing import ListingChanges
from fosp_core.annotation.project_open import ProjectUpgrade, read_and_lock
from fosp_core.annotation.saved_files_writes import mask_writing
from fosp_core.annotation.storage import (
    LockInfo,
    ProjectLock,
    StorageError,
    atomic_write,
)
from fosp_core.io.atomic import fsync_dir
from fosp_core.io.image_files import is_image_file
from fosp_core.io.masks import encode_mask_png

__all__ = ["JOURNAL_FILE", "JOURNAL_LIMIT", "PROJECT_DIR", "PROJECT_FILE", "ImportReport", "Project", "ProjectError",
           "ProjectFormatError", "ProjectReadOnlyError", "ProjectSaveError", "compaction_retry_lines",
           "default_location", "writable_folder"]

#: journal lines after which ``project.json`` is rewritten and the journal emptied
JOURNAL_LIMIT = 500
#: after a failed rewrite, the next try comes when the journal has grown by this share of the limit
COMPACTION_RETRY_SHARE = 0.1


def compaction_retry_lines() -> int:
    """Journal lines between two tries of a ``project.json`` rewrite that failed (at least 1): a
    near-full disk is not asked for a whole project.json at every save."""
    return max(int(JOURNAL_LIMIT * COMPACTION_RETRY_SHARE), 1)


class Project(BackgroundSaves, ProjectImages, BackgroundCompactions, JournalLines):
    """An open annotation project. Use `Project.open`; attributes:

    folder: the project folder (``.fosp``); images_root: where image paths are relative to;
    entries: list of `ImageEntry` in project order (its images and their files: `ProjectImages`);
    read_only / read_only_reason;
    events: Signal of (kind, image_id, error) tuples, kind "saved" or "save_failed" (then "taken_over" once a
    save found the lock taken: read-only now, `fosp_core.annotation.taken_over`), "compacted" (error None) or
    "compaction_failed" (image_id "") when `finish_compaction` took a background rewrite's end or a `batch`'s;
    compaction_error: why the last ``project.json`` rewrite failed (the journal holds the saves),
    None once one worked;
    compact_in_background: rewrite ``project.json`` on a worker thread when the journal is due after
    a save (off: in the saving call, as scripts want); compaction_notify: called on that worker
    thread when a rewrite ended: the owner then calls `finish_compaction` on its own thread.
    """

    def __init__(self, folder: Path, header: dict, entries: list[ImageEntry], *, read_only_reason: str | None,
                 lock: ProjectLock | None) -> None:
        super().__init__(folder, header["images_root"], entries)
        self.header = header
        self.read_only_reason = read_only_reason
        self.lock = lock
        self.events = Signal()
        self.last_error: ProjectError | None = None
        self._saved_revision: dict[str, int] = {}
        self._saved_masks = SavedMasks()  # which document mask each mask file holds
        self.locked_by: LockInfo | None = None  # the other process holding the lock, if any
        self._batch_depth = 0
        self._state_pending = False
        self._journal_lines = 0  # lines in the journal since project.json was last written
        self._compact_at = 0  # after a failed rewrite: no new try before the journal has this many lines
        self._batch_changed: dict[str, ImageEntry] = {}  # images saved in the running batch
        self.compaction_error: ProjectSaveError | None = None  # why the last rewrite failed, until one works
        self.compact_in_background = False
        self.compaction_notify = None
        self._rewrite: BackgroundRewrite | None = None  # the background rewrite running
        self._generation = journal_generation(header)  # the highest journal generation written or read
        self._unsure: list[int] = []  # generations of project.json files a power loss may bring back (`_append`)
        self.upgrade: ProjectUpgrade | None = None  # an older version's files this opening rewrote (backed up)
        self.intents_taken: list[str] = []  # images whose mask a killed save wrote, their state taken from its intent
        self.listing = ListingChanges()  # the folder's images added or renamed in case since the last opening
        self.conflicts: list[Path] = []  # a sync tool's conflicted copies of its files, found at the opening

    # ----------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, source: str | os.PathLike, location: str | os.PathLike | None = None, *,
             break_lock: bool | LockInfo = False, create: bool = True,
             images: Sequence[str | os.PathLike] | None = None) -> Project:
        """Create or reopen the project of `source`.

        source: a folder of images, a SmokeSeg/SMOKE5K dataset folder, or a project folder itself.
        location: the project folder (default: :func:`default_location`).
        break_lock: take the lock even when a live process holds it (a `LockInfo`: only from that one).
        create: make a new project when there is none (else ProjectError).
        images: the image files of `source` when the caller has listed them already (all of them, in
            listing order, resolved or not: ``collect_image_paths([source])``; a dataset's: those of its images folders);
            a plain folder's new project is made from them instead of listing the folder again
            (`fosp_core.annotation.labels.read_source`); an existing project takes the images added since
            (a folder's or a dataset's: `fosp_core.annotation.dataset_listing.follow_source`, `listing`).
        """
        opened = read_and_lock(source, location, break_lock=break_lock, create=create, images=images)
        folder, lock, reason = opened.folder, opened.lock, opened.read_only_reason
        project = cls(folder, opened.header, opened.entries, read_only_reason=reason,
                      lock=lock if lock.held else None)
        project._journal_lines, project.upgrade = opened.journaled, opened.upgrade
        project.listing = opened.listing  # images added to the folder (or renamed in case) since it was made
        project.intents_taken = resolve_intents(project.entries, project.mask_path)  # saves killed mid-way
        masks_names = folder_names(folder / "masks")  # listed once: temps, recovery logs, conflicted copies
        if lock.held:
            if project.intents_taken:  # a rename the kill left maybe not durable: first, before project.json says it
                with contextlib.suppress(OSError):  # cannot: as a failed fsync of a journal's folder (`_settle_folder`)
                    fsync_dir(folder / "masks")
            remove_stale_temps(folder, masks_names)
            project._unsure = unsure_generations(folder, journal_generation(opened.header))
            project.recovered = project.recover_logs(masks_names)  # commits a crash left in recovery logs
            project._generation = max(project._generation, journal_max_generation(folder / JOURNAL_FILE))
            if opened.journaled or (folder / JOURNAL_FILE).exists() or opened.listing:  # entries added: written
                project._compact()  # fold the journal into project.json (else it is applied again next time)
        project.locked_by = opened.owner if reason is not None and not lock.held else None
        project.conflicts = conflicted_copies(folder, project.entries, masks_names)  # beside the project, in no image's state
        project.note_pending_logs(masks_names)  # recovery logs not applied (read-only, or their save failed): shown
        return project

    def close(self) -> None:
        """Fold the journal into ``project.json`` and release the lock (the project object stays
        readable). Waits for the background saves and rewrite first."""
        self.stop_saves()
        self.finish_compaction(wait=True)
        if self.lock is not None and self.read_only_reason is None and self._journal_lines:
            self._compact()  # when it fails the journal stays and is applied when the project is opened again
        if self.lock is not None:
            self.lock.release()
            self.lock = None
            if self.read_only_reason is None:
                self.read_only_reason = "closed"

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------- queries
    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # ----------------------------------------------------------------------------- documents
    def open_document(self, image_id: str, *, image_shape: tuple[int, ...] | None = None,
                      probability: np.ndarray | None = None, autosave: bool = True,
                      saved: SavedFiles | None = None) -> AnnotationDocument:
        """An `AnnotationDocument` for one image with its saved mask, status, probability and label.

        image_shape: (H, W[, C]) of the decoded image when the caller has it (else the saved mask's size, the
        stored size or the image file's). probability: float (H, W) to attach (default: the stored map).
        autosave: save on every commit (a read-only project never saves). saved: `read_saved_files`' (worker).
        """
        self.flush_image(image_id)
        doc, signature = read_document(self, image_id, image_shape=image_shape, probability=probability,
                                       writable=not self.read_only, saved=saved)
        self._capture([self.entry(image_id)], read=True)  # reading it may have learnt its size
        self._saved_revision[image_id] = doc.revision
        if not self.read_only:
            self._saved_masks.remember(image_id, doc.mask_version, signature)
        if autosave and not self.read_only:
            doc.committed.connect(lambda commit, d=doc: self._autosave(d, commit))
            self.watch_document(doc)
        return doc

    def is_saved(self, doc: AnnotationDocument) -> bool:
        """Whether every commit of `doc` is on disk."""
        return self._saved_revision.get(doc.image_id) == doc.revision

    def save_document(self, doc: AnnotationDocument) -> None:
        """Save the document's mask and status now (what autosave does); raises ProjectSaveError.
        Only the status (a journal line) when the mask file holds the document's mask already."""
        revision, version, path = doc.revision, doc.mask_version, self.mask_path(doc.image_id)
        if not doc.in_step and self._saved_masks.holds(doc.image_id, version, path):
            self.set_status(doc.image_id, doc.status)
            self.status_made_durable(doc.image_id)  # a line whose fsync failed: durable now, its log goes
        else:
            self.save_mask(doc.image_id, doc.mask, doc.status)
            self._saved_masks.remember(doc.image_id, version, file_signature(path))
        self._saved_revision[doc.image_id] = revision
        self.events.emit(("saved", doc.image_id, None))

    def add_listed(self, listed: Sequence[str | os.PathLike], *, read: DatasetItems | None = None) -> ListingChanges:
        """Take images of a plain folder's or a dataset's project listed now (added to the folder while the
        project was open, or renamed in case: `fosp_core.annotation.project_listing`, `dataset_listing`; `read`:
        a dataset's reading made beforehand on another thread, `dataset_listing.read_items`); when
        writable their states are
        appended to the journal as other edits are (no ``project.json`` write here: the app joins on the
        GUI thread; an opening adds a journaled image ``project.json`` lacks), folded in at its next
        rewrite; when the line cannot be written, ``project.json`` is (a failure kept in `compaction_error`)."""
        source = self.header.get("source")
        kind = source.get("kind") if isinstance(source, dict) else None
        listed = [path for path in listed if is_image_file(path)]  # a GIF opened by name joins none
        changes = follow_source(kind, self.entries, self.images_root, self.images_root, listed, complete=False,
                                read=read)
        first = len(self.entries) - len(changes.added)  # the added entries: appended, after the others
        self._index.update((e.id, i) for i, e in enumerate(self.entries[first:], first))
        if changes and not self.read_only:
            joined = [self.entry(i) for i in (*changes.added, *changes.renamed)]
            try:  # not fsynced: a line lost to a power cut is the listing's again at the next opening
                self._append(joined, durable=False)
            except ProjectSaveError:
                self._compact()
        return changes

    # ----------------------------------------------------------------------------- writing
    def check_writable(self) -> None:
        if self.read_only_reason is not None:
            raise ProjectReadOnlyError(self.folder, f"opened read-only: {self.read_only_reason}")

    def save_mask(self, image_id: str, mask: np.ndarray, status: Status | str | None = None) -> None:
        """Write one image's mask (uint8 (H, W) 0/1/255), then its state; both atomically
        (`fosp_core.annotation.mask_writes`: what a failure leaves, a save written but not durable; a
        status change over a mask file journals its intent first)."""
        with mask_writing(self.mask_path(image_id)):  # counted: a document read meanwhile is read again
            mask_writes.save_mask(self, image_id, mask, status, write=atomic_write, encode=encode_mask_png)  # seams

    def set_status(self, image_id: str, status: Status | str) -> None:
        """Change one image's status (outside any document) and save the state: a journal line, and
        a record in its recovery log first when one holds commits not in its mask file (the last
        word wins; `fosp_core.annotation.status_saves`: the order, what a failure leaves)."""
        status_saves.set_status(self, image_id, status)

    def write_state(self) -> None:
        """Write ``project.json`` atomically and empty the journal (deferred to the end of a `batch`)."""
        self.check_writable()
        if self._batch_depth:
            self._state_pending = True
            return
        self._state_pending = False
        self.finish_compaction(wait=True)  # one writer of project.json at a time
        self._generation += 1  # above every line the journal may hold (a failed rewrite's too)
        header = dict(self.header, updated=time.time(), journal=self._generation)
        try:
            atomic_write(self.folder / PROJECT_FILE, self._dump_all(header))
        except StorageError as exc:
            if exc.in_place:  # the file's generation now; a power loss may bring the old file back
                self._unsure.append(journal_generation(self.header))
                self.header, self._journal_lines = header, 0
            raise ProjectSaveError(exc.path, exc.reason) from exc
        self.header, self._unsure = header, []  # the journal's lines so far: never applied again
        self._journal_lines = 0
        self._compact_at = 0
        self.compaction_error = None
        try:
            (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
        except OSError:
            pass  # harmless: emptied the next time

    def record_state(self, entry: ImageEntry, *, durable: bool = True) -> None:
        """Save one image's changed state: a journal line (a full ``project.json`` write instead when
        the journal is long and that write works, and at the end of a `batch` when inside one).
        `durable` False: the line is not fsynced (`append_record`), for state made again at will."""
        self.check_writable()
        if self._batch_depth:
            self._batch_changed[entry.id] = entry
            self.write_state()  # deferred to the end of the batch
            return
        self.finish_compaction()
        due = self._rewrite is None and self._journal_lines >= max(JOURNAL_LIMIT, self._compact_at)
        if due and not self.compact_in_background and self._compact():
            return
        self._append([entry], durable=durable)
        if due and self.compact_in_background:
            self._start_rewrite()

    def _retry_later(self) -> None:
        """A rewrite failed: the next try comes `compaction_retry_lines` journal lines later."""
        self._compact_at = self._journal_lines + compaction_retry_lines()

    def _compact(self) -> bool:
        """Try to write ``project.json`` and empty the journal; False (the reason kept in
        `compaction_error`, the next try `compaction_retry_lines` later) when it cannot be written."""
        try:
            self.write_state()
        except ProjectSaveError as exc:
            self.compaction_error = exc
            self._retry_later()
            return False
        return True

    def set_prediction(self, image_id: str, probability: np.ndarray, threshold: float = 0.5, *,
                       store_map: bool = True, as_mask_if_unlabeled: bool = True, sample_step: int = 1) -> dict:
        """Record the model's float (H, W) probability of an image (`project_import.set_prediction`): its summary."""
        return project_import.set_prediction(self, image_id, probability, threshold, store_map=store_map,
                                             as_mask_if_unlabeled=as_mask_if_unlabeled, sample_step=sample_step)

    def import_labels(self, source: str | os.PathLike | ForeignLabels | None = None,
                      **options: Unpack[project_import.ImportOptions]) -> ImportReport:
        """Existing labels (masks, labelme/COCO/CVAT files) as masks, status EDITED: `project_import.import_labels`."""
        return project_import.import_labels(self, source, **options)
