"""Annotation projects: masks and per-image state of a folder or dataset, saved after every commit.

Layout of a project folder (default ``<images folder or dataset>/.fosp/``)::

    project.json          format, image list, per-image status (see `fosp_core.annotation.entries`)
    changes.jsonl         the journal: per-image state saved since project.json was last written
    masks/<id>.png        SmokeSeg palette PNG (0 background, 1 smoke, 255 ignore)
    predictions/<id>.png  8-bit grayscale probability (round(255 p)), when stored
    lock                  {"pid", "host", "created"} of the process editing the project

Saving: every committed edit writes the mask atomically (temp file, fsync, os.replace;
`fosp_core.annotation.storage`) and then appends the image's new state to the journal (fsynced), so
after a crash - ``kill -9`` included - reopening finds every edit whose commit returned. A save
costs the same in a project of 50 images or 100 000: ``project.json`` (about 240 bytes an image)
is rewritten in full only every `JOURNAL_LIMIT` changes, at the end of a `batch`, on `close` and
when a project with a journal is opened for writing, each time emptying the journal. That rewrite
(the journal's compaction) is no save's own record: when it fails (a disk too full for a whole
``project.json`` still takes a journal line) the save appends its line as any other, the failure is
kept in `Project.compaction_error`, and the rewrite is tried again `compaction_retry_lines` lines
later and on `close`. A failed save - its mask or its journal line could not be written (disk full,
folder became read-only) - raises `ProjectSaveError` and leaves the files as they were; the
document keeps the edit, and `save_document` can be called again.

Locking: opening takes the lock. When another live process holds it, the project opens read-only
and `read_only_reason` says "locked by pid N on host H"; a lock left by a dead process on this
host is taken over. A folder that cannot be written also opens read-only.

Typical use (the app)::

    project = Project.open(folder)                 # creates or reopens folder/.fosp
    doc = project.open_document(project.ids[0])    # AnnotationDocument, autosaved on commit
    ... tools edit doc ...
    project.close()
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import AnnotationDocument, Commit, Signal, Status
from fosp_core.annotation.entries import (
    FORMAT,
    FORMAT_VERSION,
    ImageEntry,
    ProjectError,
    ProjectFormatError,
    apply_changes,
    check_entries,
    dump_change,
    dump_project,
    journal_generation,
    parse_project,
)
from fosp_core.annotation.labels import (
    ImportReport,
    LabelError,
    image_size,
    label_files,
    read_label,
    read_source,
)
from fosp_core.annotation.storage import (
    LockInfo,
    PreviousFile,
    ProjectLock,
    StorageError,
    append_record,
    atomic_write,
)
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.data.types import SMOKE
from fosp_core.io.images import read_image
from fosp_core.io.masks import MaskReadError, encode_mask_png, read_mask
from fosp_core.paths import RESOURCES, cache_dir

__all__ = ["PROJECT_DIR", "Project", "ProjectError", "ProjectFormatError", "ProjectReadOnlyError",
           "ProjectSaveError", "ImportReport", "default_location", "writable_folder"]

PROJECT_DIR = ".fosp"
PROJECT_FILE = "project.json"
JOURNAL_FILE = "changes.jsonl"
#: journal lines after which ``project.json`` is rewritten and the journal emptied
JOURNAL_LIMIT = 500
#: after a failed rewrite, the next try comes when the journal has grown by this share of the limit
COMPACTION_RETRY_SHARE = 0.1


def compaction_retry_lines() -> int:
    """Journal lines between two tries of a ``project.json`` rewrite that failed (at least 1): a
    near-full disk is not asked for a whole project.json at every save."""
    return max(int(JOURNAL_LIMIT * COMPACTION_RETRY_SHARE), 1)


class ProjectReadOnlyError(ProjectError):
    """A change was asked of a project opened read-only (locked elsewhere, or unwritable folder)."""


class ProjectSaveError(ProjectError):
    """A save failed (disk full, permissions); what was saved before is intact."""


class Project:
    """An open annotation project. Use `Project.open`; attributes:

    folder: the project folder (``.fosp``); images_root: where image paths are relative to;
    entries: list of `ImageEntry` in project order; read_only / read_only_reason;
    events: Signal of (kind, image_id, error) tuples, kind "saved" or "save_failed".
    """

    def __init__(self, folder: Path, header: dict, entries: list[ImageEntry], *, read_only_reason: str | None,
                 lock: ProjectLock | None) -> None:
        self.folder = folder
        self.header = header
        self.entries = entries
        self._index = {e.id: i for i, e in enumerate(entries)}
        self.read_only_reason = read_only_reason
        self.lock = lock
        root = Path(header["images_root"])
        self.images_root = root if root.is_absolute() else (folder / root).resolve()
        self.events = Signal()
        self.last_error: ProjectError | None = None
        self._saved_revision: dict[str, int] = {}
        self.locked_by: LockInfo | None = None  # the other process holding the lock, if any
        self._batch_depth = 0
        self._state_pending = False
        self._journal_lines = 0  # lines in the journal since project.json was last written
        self._compact_at = 0  # after a failed rewrite: no new try before the journal has this many lines
        self._batch_changed: dict[str, ImageEntry] = {}  # images saved in the running batch
        self.compaction_error: ProjectSaveError | None = None  # why the last rewrite failed, until one works

    # ----------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, source: str | os.PathLike, location: str | os.PathLike | None = None, *,
             break_lock: bool = False, create: bool = True,
             images: Sequence[str | os.PathLike] | None = None) -> Project:
        """Create or reopen the project of `source`.

        source: a folder of images, a SmokeSeg/SMOKE5K dataset folder, or a project folder itself.
        location: the project folder (default: :func:`default_location`).
        break_lock: take the lock even when a live process holds it.
        create: make a new project when there is none (else ProjectError).
        images: the image files of a plain folder `source` when the caller has listed them already
            (all of them, in listing order, resolved or not: ``collect_image_paths([source])``);
            a new project is made from them instead of listing the folder again
            (`fosp_core.annotation.labels.read_source`). Unused when the project exists.
        """
        source = Path(source)
        if (source / PROJECT_FILE).is_file() and location is None:
            folder = source
        else:
            folder = Path(location) if location is not None else default_location(source)
        folder = folder.absolute()
        if (folder / PROJECT_FILE).is_file():
            seen = _files_signature(folder)
            header, entries = parse_project(folder / PROJECT_FILE)
        elif not create:
            raise ProjectError(folder, "no annotation project here (open the images in the app first)")
        else:  # what was written is kept as made, not read back (the same: a test pins it)
            header, entries = cls._create(source, folder, images)
            seen = _files_signature(folder)
        # a journal beside a new project.json (the old one deleted) is applied as before
        journaled = apply_changes(folder / JOURNAL_FILE, entries, journal_generation(header))
        lock = ProjectLock(folder / "lock")
        reason: str | None = None
        owner: LockInfo | None = None
        try:
            owner = lock.acquire(break_lock=break_lock)
            if owner is not None:
                reason = owner.describe()
        except StorageError as exc:
            reason = f"the project folder is not writable ({exc.reason})"
        if lock.held and _files_signature(folder) != seen:
            # the last holder saved (and quit) between our reading and our taking the lock: read again
            try:
                header, entries = parse_project(folder / PROJECT_FILE)
                journaled = apply_changes(folder / JOURNAL_FILE, entries, journal_generation(header))
            except BaseException:
                lock.release()
                raise
        project = cls(folder, header, entries, read_only_reason=reason, lock=lock if lock.held else None)
        project._journal_lines = journaled
        if lock.held:
            project._remove_stale_temps()
            if journaled or (folder / JOURNAL_FILE).exists():
                project._compact()  # fold the journal into project.json (else it is applied again next time)
        project.locked_by = owner if reason is not None and not lock.held else None
        return project

    @staticmethod
    def _create(source: Path, folder: Path,
                images: Sequence[str | os.PathLike] | None) -> tuple[dict, list[ImageEntry]]:
        """Write a new ``project.json`` for `source` in `folder`; returns (header, entries), equal
        to what `parse_project` reads from it."""
        if not source.is_dir():
            raise ProjectError(source, "not a folder of images or a dataset")
        kind, items = read_source(source, images)
        try:
            (folder / "masks").mkdir(parents=True, exist_ok=True)
            (folder / "predictions").mkdir(exist_ok=True)
        except OSError as exc:
            raise ProjectError(folder, f"cannot create the project folder ({exc.strerror or exc}); "
                                       "choose another location") from exc
        root = source.absolute()
        try:
            root_text = os.path.relpath(root, folder)
        except ValueError:  # another drive on Windows
            root_text = str(root)
        now = time.time()
        header = {"format": FORMAT, "version": FORMAT_VERSION, "images_root": Path(root_text).as_posix(),
                  "source": {"kind": kind, "path": str(root)}, "created": now, "updated": now}
        unlabeled = Status.UNLABELED
        entries = [ImageEntry(i, image, unlabeled, None, label, split) for i, image, label, split in items]
        check_entries(entries, folder / PROJECT_FILE)  # what reading it back would refuse is not written
        try:
            atomic_write(folder / PROJECT_FILE, dump_project(header, entries))
        except StorageError as exc:
            raise ProjectError(folder, f"cannot create the project ({exc.reason})") from exc
        return header, entries

    def _remove_stale_temps(self) -> None:
        """Delete temporary files a crashed writer left (only while holding the lock)."""
        for sub in (self.folder, self.folder / "masks", self.folder / "predictions"):
            for tmp in sub.glob(".*.tmp"):
                try:
                    tmp.unlink()
                except OSError:
                    pass

    def close(self) -> None:
        """Fold the journal into ``project.json`` and release the lock (the project object stays
        readable)."""
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

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def entry(self, image_id: str) -> ImageEntry:
        try:
            return self.entries[self._index[image_id]]
        except KeyError:
            raise KeyError(f"no image {image_id!r} in the project {self.folder}") from None

    def image_path(self, image_id: str) -> Path:
        return self.images_root / self.entry(image_id).image

    def mask_path(self, image_id: str) -> Path:
        return self.folder / "masks" / f"{image_id}.png"

    def prediction_path(self, image_id: str) -> Path:
        return self.folder / "predictions" / f"{image_id}.png"

    def label_path(self, image_id: str) -> Path | None:
        label = self.entry(image_id).label
        return None if label is None else self.images_root / label

    def load_mask(self, image_id: str) -> np.ndarray | None:
        """The saved mask (uint8 (H, W) 0/1/255) or None when the image has none yet."""
        path = self.mask_path(image_id)
        return read_mask(path) if path.is_file() else None

    def load_label(self, image_id: str) -> np.ndarray | None:
        """The reference mask from the source dataset, or None."""
        path = self.label_path(image_id)
        return read_mask(path) if path is not None and path.is_file() else None

    def load_probability(self, image_id: str) -> np.ndarray | None:
        """The stored probability map (float32 (H, W), 1/255 steps) or None."""
        path = self.prediction_path(image_id)
        if not path.is_file():
            return None
        data = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        return None if data is None else data.astype(np.float32) / 255.0

    # ----------------------------------------------------------------------------- documents
    def open_document(self, image_id: str, *, image_shape: tuple[int, ...] | None = None,
                      probability: np.ndarray | None = None, autosave: bool = True) -> AnnotationDocument:
        """An `AnnotationDocument` for one image with its saved mask, status, probability and label.

        image_shape: (H, W[, C]) of the decoded image when the caller has it (else the saved mask's
        size, the stored size or the image file's). probability: float (H, W) to attach (default:
        the stored map). autosave: save on every commit (a read-only project never saves).
        """
        entry = self.entry(image_id)
        mask = self.load_mask(image_id)
        shape = image_shape or (mask.shape if mask is not None else entry.size) \
            or image_size(self.image_path(image_id)) or read_image(self.image_path(image_id)).rgb.shape
        shape = (int(shape[0]), int(shape[1]))
        if mask is not None and mask.shape != shape:
            raise ProjectError(self.mask_path(image_id), f"mask is {mask.shape}, the image is {shape}")
        if probability is None:
            probability = self.load_probability(image_id)
            if probability is not None and probability.shape != shape:
                probability = None
        label = None
        try:
            label = self.load_label(image_id)
        except MaskReadError:
            pass
        if label is not None and label.shape != shape:
            label = None
        doc = AnnotationDocument(shape, mask, probability, label, entry.status, image_id=image_id)
        if entry.size != shape and not self.read_only:
            entry.size = shape
        self._saved_revision[image_id] = doc.revision
        if autosave and not self.read_only:
            doc.committed.connect(lambda commit, d=doc: self._autosave(d, commit))
        return doc

    def _autosave(self, doc: AnnotationDocument, commit: Commit) -> None:
        try:
            self.save_document(doc)
        except ProjectError as exc:
            self.last_error = exc
            self.events.emit(("save_failed", doc.image_id, exc))

    def is_saved(self, doc: AnnotationDocument) -> bool:
        """Whether every commit of `doc` is on disk."""
        return self._saved_revision.get(doc.image_id) == doc.revision

    def save_document(self, doc: AnnotationDocument) -> None:
        """Save the document's mask and status now (what autosave does); raises ProjectSaveError."""
        revision = doc.revision
        self.save_mask(doc.image_id, doc.mask, doc.status)
        self._saved_revision[doc.image_id] = revision
        self.events.emit(("saved", doc.image_id, None))

    # ----------------------------------------------------------------------------- writing
    def _check_writable(self) -> None:
        if self.read_only_reason is not None:
            raise ProjectReadOnlyError(self.folder, f"opened read-only: {self.read_only_reason}")

    def save_mask(self, image_id: str, mask: np.ndarray, status: Status | str | None = None) -> None:
        """Write one image's mask (uint8 (H, W) 0/1/255), then its state; both atomically."""
        self._check_writable()
        entry = self.entry(image_id)
        mask = np.asarray(mask)
        if entry.size is not None and mask.shape != tuple(entry.size):
            raise ProjectSaveError(self.mask_path(image_id), f"mask is {mask.shape}, the image is {entry.size}")
        previous = PreviousFile(self.mask_path(image_id))  # put back when the state cannot be saved
        try:
            atomic_write(self.mask_path(image_id), encode_mask_png(mask, compress_level=1))
        except StorageError as exc:
            previous.discard()
            raise ProjectSaveError(exc.path, exc.reason) from exc
        old = (entry.status, entry.updated, entry.size, entry.smoke_ratio)
        entry.status = Status(status) if status is not None else entry.status
        entry.updated = time.time()
        entry.size = (int(mask.shape[0]), int(mask.shape[1]))
        entry.smoke_ratio = float(np.count_nonzero(mask == SMOKE)) / float(mask.size)
        try:
            self._record(entry)
        except ProjectSaveError:
            entry.status, entry.updated, entry.size, entry.smoke_ratio = old
            previous.restore()
            raise
        previous.discard()

    def set_status(self, image_id: str, status: Status | str) -> None:
        """Change one image's status (outside any document) and save the state."""
        self._check_writable()
        entry = self.entry(image_id)
        old, entry.status = entry.status, Status(status)
        try:
            self._record(entry)
        except ProjectSaveError:
            entry.status = old
            raise

    @contextmanager
    def batch(self) -> Iterator[Project]:
        """``with project.batch():`` - write ``project.json`` once at the end instead of after each
        mask (bulk imports and predictions); masks are still written one by one."""
        self._batch_depth += 1
        try:
            yield self
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                changed, self._batch_changed = list(self._batch_changed.values()), {}
                if self._state_pending and not self._compact():
                    self._state_pending = False
                    self._append(changed)  # the rewrite failed: the batch's images go to the journal

    def write_state(self) -> None:
        """Write ``project.json`` atomically and empty the journal (deferred to the end of a `batch`)."""
        self._check_writable()
        if self._batch_depth:
            self._state_pending = True
            return
        self._state_pending = False
        header = dict(self.header, updated=time.time(), journal=journal_generation(self.header) + 1)
        try:
            atomic_write(self.folder / PROJECT_FILE, dump_project(header, self.entries))
        except StorageError as exc:
            raise ProjectSaveError(exc.path, exc.reason) from exc
        self.header = header  # the journal's lines so far are of the old generation: never applied again
        self._journal_lines = 0
        self._compact_at = 0
        self.compaction_error = None
        try:
            (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
        except OSError:
            pass  # harmless: emptied the next time

    def _record(self, entry: ImageEntry) -> None:
        """Save one image's changed state: a journal line (a full ``project.json`` write instead when
        the journal is long and that write works, and at the end of a `batch` when inside one)."""
        self._check_writable()
        if self._batch_depth:
            self._batch_changed[entry.id] = entry
            self.write_state()  # deferred to the end of the batch
            return
        if self._journal_lines >= max(JOURNAL_LIMIT, self._compact_at) and self._compact():
            return
        self._append([entry])

    def _compact(self) -> bool:
        """Try to write ``project.json`` and empty the journal; False (the reason kept in
        `compaction_error`, the next try `compaction_retry_lines` later) when it cannot be written."""
        try:
            self.write_state()
        except ProjectSaveError as exc:
            self.compaction_error = exc
            self._compact_at = self._journal_lines + compaction_retry_lines()
            return False
        return True

    def _append(self, entries: list[ImageEntry]) -> None:
        """Append the state of `entries` to the journal, one line each, in one durable write."""
        if not entries:
            return
        generation = journal_generation(self.header)
        try:
            append_record(self.folder / JOURNAL_FILE, b"".join(dump_change(e, generation) for e in entries))
        except StorageError as exc:
            raise ProjectSaveError(exc.path, exc.reason) from exc
        self._journal_lines += len(entries)

    def set_prediction(self, image_id: str, probability: np.ndarray, threshold: float = 0.5, *,
                       store_map: bool = True, as_mask_if_unlabeled: bool = True, sample_step: int = 1) -> dict:
        """Record the model's float (H, W) probability for one image; returns the stored summary.

        Stores the summary used by the worklist (uncertainty, predicted smoke size, error against
        the reference label), the map itself as an 8-bit PNG (`store_map`), and, for an image
        without a mask, the thresholded prediction as its mask with status PREDICTED.
        sample_step: the summary is computed over every `sample_step`-th row and column (the app
        uses it to keep a 4000x3000 map cheap on the GUI thread).
        """
        self._check_writable()
        entry = self.entry(image_id)
        probability = np.asarray(probability, dtype=np.float32)
        label = self.load_label(image_id)
        if label is not None and label.shape != probability.shape:
            label = None
        step = max(int(sample_step), 1)
        summary = prediction_summary(probability[::step, ::step], threshold,
                                     None if label is None else label[::step, ::step])
        if store_map:
            png = cv2.imencode(".png", np.clip(np.rint(probability * 255.0), 0, 255).astype(np.uint8))[1]
            try:
                atomic_write(self.prediction_path(image_id), png.tobytes(), durable=False)
            except StorageError as exc:
                raise ProjectSaveError(exc.path, exc.reason) from exc
        entry.prediction = summary
        if as_mask_if_unlabeled and entry.status == Status.UNLABELED:
            self.save_mask(image_id, (probability > threshold).astype(np.uint8), Status.PREDICTED)
        else:
            self._record(entry)
        return summary

    def import_labels(self, source: str | os.PathLike | None = None, *, overwrite: bool = False,
                      ids: Iterable[str] | None = None) -> ImportReport:
        """Use existing labels as starting masks (status PREDICTED).

        source: a SmokeSeg/SMOKE5K dataset or a folder of masks named by image stem; None uses the
        reference labels of the dataset the project was made from. Images already edited or
        reviewed keep their masks unless `overwrite`. Masks of the wrong size are skipped (reported).
        """
        self._check_writable()
        wanted = None if ids is None else set(ids)
        files = label_files(self.entries, self.images_root, None if source is None else Path(source))
        report = ImportReport()
        with self.batch():
            for entry in self.entries:
                path = files.get(entry.id)
                if path is None or (wanted is not None and entry.id not in wanted):
                    continue
                if entry.status in (Status.EDITED, Status.REVIEWED) and not overwrite:
                    report.skipped.append((entry.id, f"already {entry.status.value}; not overwritten"))
                    continue
                try:
                    mask = read_label(path, entry.size, self.image_path(entry.id))
                except LabelError as exc:
                    report.skipped.append((entry.id, str(exc)))
                    continue
                entry.size = (int(mask.shape[0]), int(mask.shape[1]))
                self.save_mask(entry.id, mask, Status.PREDICTED)
                report.imported.append(entry.id)
        return report


def _files_signature(folder: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """(inode, size, mtime) of ``project.json`` and the journal (None: missing): changes when
    another process saves (a journal line, a rewritten project.json)."""
    out: list[tuple[int, int, int] | None] = []
    for name in (PROJECT_FILE, JOURNAL_FILE):
        try:
            st = os.stat(folder / name)
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def default_location(source: str | os.PathLike) -> Path:
    """Where the project of `source` lives when no location is chosen.

    ``source/.fosp`` beside the images (or where a project already is), except for images the app
    ships (the bundled demo) and folders that are not to be written (`writable_folder`): their
    project goes to ``<cache>/projects/<name>-<hash>``, so the work is still saved and the install
    folder or a read-only shared folder is never written.
    """
    source = Path(source).absolute()
    beside = source / PROJECT_DIR
    shipped = source == RESOURCES or RESOURCES in source.parents
    if not shipped and (beside.is_dir() or writable_folder(source)):
        return beside
    digest = hashlib.sha1(str(source).encode("utf-8")).hexdigest()[:10]
    return cache_dir() / "projects" / f"{source.name or 'root'}-{digest}"


def writable_folder(folder: str | os.PathLike) -> bool:
    """Whether a project folder may be created in `folder`, checked without writing anything there.

    No when this user may not write it (``os.access``), when it lies on a file system mounted
    read-only (``ST_RDONLY``), or, for root, whom ``os.access`` lets write anywhere, when its
    permission bits let nobody write it (a folder shared read-only, r-x for everyone). A probe file
    would be no test for root: it is written (and left behind if the process dies) exactly where the
    folder's owner said nobody writes.
    """
    folder = Path(folder)
    try:
        mode = folder.stat().st_mode
        if not stat.S_ISDIR(mode) or not os.access(folder, os.W_OK):
            return False
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return True
