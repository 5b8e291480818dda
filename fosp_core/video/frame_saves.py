"""Frame masks saved off the committing (GUI) thread: `BackgroundFrameSaves`, a base of
:class:`~fosp_core.video.timeline.VideoAnnotations` (its ``save_in_background``, on in the app).

The images' way (`fosp_core.annotation.mask_saves`), without their journal: at a commit the GUI thread
appends the commit's record to the frame's recovery log, ``masks/<stem>_<frame:06d>.png.recovery``
(`fosp_core.annotation.recovery`: the rectangle the commit changed, bit-packed; one write(), no fsync:
`fosp_core.annotation.log_sync`), marks the frame edited, and hands the mask (that rectangle, or the whole
mask: `fosp_core.annotation.save_copies`) to a `MaskSaver` thread of the video's own. The thread fsyncs
the log, encodes the PNG (`fosp_core.video.mask_png`) and writes it atomically; when the owner takes the
save's end (`finish_saves`, on the GUI thread, called by the app when the thread notifies), the log goes,
unless a later commit of the frame was queued since (its own save removes it then).

So: a kill of the process right after a stroke loses nothing (the record is in the page cache; the next
opening, `recover_logs`, applies it over the PNG and writes the PNG; an OS crash or power loss before the
save thread's fsync of the log may lose it, as for images); saves run in commit order, one waiting
per frame (a later commit replaces the waiting one: the later mask wins on disk); a read of a frame's mask
(`read_saved`) applies its log over its PNG, so it is the last commit's whatever the thread has written;
a failed write is told (``save_failed``, ``last_error``), its log kept, and written again at the frame's next
commit, by `retry_failed` (the video closing) or at the next opening; a commit whose record could not be
appended (disk full) is told, and recorded again at the frame's next commit or by `retry_failed`. `stop_saves` (the video closing, the
window closing) waits for every pending write.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Signal, Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.file_writes import StorageError, atomic_write
from fosp_core.annotation.history import Rect, union_rect
from fosp_core.annotation.log_sync import append_record, sync_log
from fosp_core.annotation.project_files import file_signature
from fosp_core.annotation.recovery import (
    RECOVERY_SUFFIX,
    apply_records,
    encode_record,
    log_path,
    read_log_checked,
    set_aside,
)
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import MaskSaver, SaveJob
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.video.errors import VideoAnnotationError
from fosp_core.video.mask_png import encode_frame_mask_png

__all__ = ["RECOVERY_SUFFIX", "BackgroundFrameSaves", "read_saved", "recover_logs", "replace_saved"]


def _read_png(path: Path) -> np.ndarray | None:
    try:
        return read_mask(path)
    except MaskReadError:
        if path.exists():  # a stat on this rare path only
            raise
        return None


def read_saved(path: Path) -> np.ndarray | None:
    """Frame mask file `path` with its recovery log's records applied (None: neither exists). Without a
    log: the PNG read alone, no stat (a frame change reads it on the GUI thread). With one: the log read
    before the PNG, again when the PNG changed meanwhile (the save thread wrote a newer one). Raises
    MaskReadError for a PNG that cannot be read."""
    log = log_path(path)
    records = read_log_checked(log).records
    if not records:  # removed after the PNG of the newest commit was written: the PNG is at least that
        return _read_png(path)
    for _ in range(20):
        before = file_signature(path)
        records = read_log_checked(log).records
        base = _read_png(path)
        if file_signature(path) == before:
            break
    if not records:
        return base
    return apply_records(base, records)[0]


def replace_saved(path: Path, mask: np.ndarray) -> None:
    """Write `mask` (uint8 (H, W), 0/1/255) as the frame mask file `path`, atomically, and remove its
    recovery log. A log kept there (a failed background save) first gets a record of the whole of `mask`,
    fsynced: its records, rectangles over the mask file they were logged on, would otherwise be applied over
    `mask` after a kill between the new file and the log's removal (neither state); reading starts at that
    whole record. Raises OSError or ValueError (a mask of another dtype or value: nothing written)."""
    data = encode_frame_mask_png(mask)
    log = log_path(path)
    if log.exists():
        append_record(log, encode_record(mask, (0, mask.shape[0], 0, mask.shape[1]), Status.EDITED.value))
        sync_log(log)
    atomic_write(path, data)
    log.unlink(missing_ok=True)


def recover_logs(folder: Path) -> list[str]:
    """Apply every recovery log in the mask `folder` (left by a process killed before its saves ended, or
    by a save that failed): the PNG written with the log's records, then the log removed. A log with a
    record that cannot be read: the records before it applied, the log set aside (``.unapplied``). A PNG
    that cannot be written keeps its log (`read_saved` applies it). Returns remarks for the user."""
    remarks: list[str] = []
    try:
        logs = [Path(e.path) for e in os.scandir(folder) if e.is_file() and e.name.endswith(".png" + RECOVERY_SUFFIX)]
    except OSError:
        return remarks
    for log in sorted(logs):
        png = log.with_name(log.name[:-len(RECOVERY_SUFFIX)])
        reading = read_log_checked(log)
        try:
            if reading.records:
                base = read_mask(png) if png.exists() else None
                atomic_write(png, encode_frame_mask_png(apply_records(base, reading.records)[0]))
            if reading.problem is not None:
                aside = set_aside(log)
                remarks.append(f"{log.name}: {reading.problem} (kept as {aside.name})")
            else:
                log.unlink(missing_ok=True)
        except (OSError, MaskReadError, ValueError) as exc:
            remarks.append(f"{png.name}: the edits of its recovery log could not be saved ({exc}); they are kept")
    return remarks


def _write_frame(job: SaveJob) -> None:
    """Fsync the frame's recovery log, then encode and write its PNG atomically (save thread); the
    outcome goes into the job."""
    try:
        if job.log is not None:
            sync_log(job.log)
        assert job.mask is not None
        data = encode_frame_mask_png(job.mask)
        atomic_write(job.path, data)
    except StorageError as exc:
        job.error = ProjectSaveError(exc.path, exc.reason)
    except Exception as exc:  # noqa: BLE001 - told as a failed save; the recovery log keeps the edit
        job.error = ProjectSaveError(job.path, f"cannot save: {exc}")
    finally:
        job.mask = None


def _key(index: int) -> str:
    return f"{index:06d}"


class BackgroundFrameSaves:
    """The background saves of a `VideoAnnotations` (see module doc). ``save_in_background``: commits saved
    this way (off: in the commit, as scripts want); ``save_notify``: called on the save thread when a save
    ended (the owner then calls `finish_saves` on its own thread)."""

    # provided by VideoAnnotations
    events: Signal
    edited: set[int]
    frames_to_check: set[int]
    mask_files: frozenset[int]
    _on_disk: set[int]
    last_error: VideoAnnotationError | None
    mask_path: Callable[[int], Path]
    save_state: Callable[[], None]
    check_writable: Callable[[Path], None]

    def __init__(self) -> None:
        self.save_in_background = False
        self.save_notify: Callable[[], None] | None = None
        self._saver: MaskSaver | None = None
        self._seq = 0
        self._newest: dict[int, int] = {}  # frame -> seq of its newest save
        self._dirty: dict[int, Rect] = {}  # frame -> rectangle changed since its last record
        self._base: dict[int, int] = {}  # frame -> mask version its PNG and log hold (known on disk)
        self._copied: dict[int, int] = {}  # frame -> mask version the save thread's copy holds after its saves
        #: frames whose newest save failed: their log keeps the edit (`retry_failed`)
        self.failed: set[int] = set()
        #: frames whose commit's record could not be written (disk full): recorded again by `retry_failed`
        self._unlogged: dict[int, AnnotationDocument] = {}

    def watch_document(self, doc: AnnotationDocument, index: int) -> None:
        """Follow `doc`'s mask changes (frame `index`'s document, just opened from what is on disk)."""
        self._dirty.pop(index, None)
        self._base[index] = doc.mask_version

        def changed(event: DocumentEvent) -> None:
            if event.kind == "mask" and event.rect is not None:
                self._dirty[index] = union_rect(self._dirty.get(index), event.rect)  # type: ignore[assignment]

        doc.events.connect(changed)

    def record_commit(self, doc: AnnotationDocument, index: int) -> None:
        """Save a commit of frame `index` the background way: its record appended to the log, the PNG
        queued, the frame marked edited. Raises VideoAnnotationError when the record cannot be written (or
        the annotations are read-only: `fosp_core.video.folder_lock`)."""
        path = self.mask_path(index)
        self.check_writable(path)
        log = log_path(path)
        before = self._base.get(index)
        rect = self._dirty.get(index) if before is not None else None
        if rect is None:  # not known what is on disk, or no pixel event seen: the whole mask
            rect = (0, doc.height, 0, doc.width)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            append_record(log, encode_record(doc.mask, rect, doc.status.value))
        except (OSError, ValueError) as exc:
            self._unlogged[index] = doc
            raise VideoAnnotationError(log, f"cannot save: {getattr(exc, 'reason', exc)}") from exc
        self._unlogged.pop(index, None)
        self._dirty.pop(index, None)
        self._base[index] = doc.mask_version
        self._seq += 1
        self._newest[index] = self._seq
        if self._saver is None:  # `_write_frame` looked up at each job (tests replace it)
            self._saver, self._copied = MaskSaver(self.save_notify, write=lambda job: _write_frame(job)), {}
        if before is not None and self._copied.get(index) == before:  # the thread's copy is at `before`
            y0, y1, x0, x1 = rect
            parts = MaskParts(None, [(rect, np.array(doc.mask[y0:y1, x0:x1]))])
        else:
            parts, self._copied = MaskParts(np.array(doc.mask)), {}
            self._saver.keep_only(_key(index))
        self._copied[index] = doc.mask_version
        self._saver.submit(SaveJob(self._seq, _key(index), path, parts, doc.mask_version, doc.revision, log))
        self._on_disk.add(index)
        self.mask_files |= {index}
        newly = index not in self.edited
        if newly or index in self.frames_to_check:
            self.edited.add(index)
            self.frames_to_check.discard(index)
            self.save_state()
        if newly:
            self.events.emit(("edited", index))

    def finish_saves(self, wait: bool = False, index: int | None = None) -> int:
        """Take the saves that ended (`wait`: wait for those of frame `index`, or all, first): the newest
        of a frame that worked removes its log and emits ("saved", index); one that failed is told
        (`last_error`, ("save_failed", index)) and keeps its log. Returns how many were taken."""
        saver = self._saver
        if saver is None:
            return 0
        if wait:
            saver.wait(None if index is None else _key(index))
        jobs = saver.done()
        for job in jobs:
            frame = int(job.image_id)
            if self._newest.get(frame) != job.seq:
                continue  # a later commit of the frame is queued: its save removes the log
            del self._newest[frame]
            if job.error is not None:
                self._copied.pop(frame, None)  # the next save hands the whole mask over
                self.failed.add(frame)
                self.last_error = VideoAnnotationError(job.error.path, job.error.reason)
                self.events.emit(("save_failed", frame))
                continue
            self.failed.discard(frame)
            with contextlib.suppress(OSError):  # left behind: the next opening applies it (the same mask)
                log_path(job.path).unlink(missing_ok=True)
            self.events.emit(("saved", frame))
        return len(jobs)

    def settle(self, index: int) -> None:
        """Before frame `index`'s files are written or removed another way: its saves waited for and
        taken, what is known of its files forgotten (its next record holds the whole mask)."""
        if index in self._newest:
            self.finish_saves(wait=True, index=index)
        self._base.pop(index, None)
        self._copied.pop(index, None)
        self.failed.discard(index)
        self._unlogged.pop(index, None)

    def retry_failed(self) -> None:
        """Queue again the frames whose newest save failed (their PNG and log read back: the last commit), and
        the commits whose record could not be written (their documents' masks)."""
        for index, doc in sorted(self._unlogged.items()):
            try:
                self.record_commit(doc, index)
            except VideoAnnotationError as exc:
                self.last_error = exc
                self.events.emit(("save_failed", index))
        for index in sorted(self.failed):
            if self._saver is None or index in self._newest:
                continue
            try:
                mask = read_saved(self.mask_path(index))
            except MaskReadError:
                continue
            if mask is None:
                continue
            self._seq += 1
            self._newest[index] = self._seq
            self._copied.pop(index, None)
            path = self.mask_path(index)
            self._saver.submit(SaveJob(self._seq, _key(index), path, MaskParts(mask), 0, 0, log_path(path)))

    def stop_saves(self) -> None:
        """The video closes: a failed save tried once more, every save waited for and taken, the thread ended."""
        if self._saver is None and not self._unlogged:
            return
        self.finish_saves()
        self.retry_failed()
        self.finish_saves(wait=True)
        if self._saver is not None:
            self._saver.stop()
        self._saver = None
        self._base.clear()
        self._copied.clear()
