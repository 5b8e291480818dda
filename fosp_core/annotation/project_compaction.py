"""The journal's compaction on a worker thread: ``project.json`` rewritten while saves go on
(`Project.compact_in_background`; see `fosp_core.annotation.project`).

A rewrite of ``project.json`` is 80 ms at 5 053 images and ~1.4 s at 100 000: too long for the
GUI thread after a stroke. `BackgroundRewrite` is given the entries' values as the saving thread
captured them (`fosp_core.annotation.compaction_rows.CapturedRows`: each entry's tuple replaced as
its state is journaled, so starting a rewrite copies a list, with no work per entry) and encodes,
writes, fsyncs and replaces the file on a worker thread, encoding only the entries whose tuple
changed since the previous rewrite and pausing between chunks so that the saving thread gets
Python's GIL.

How the journal stays consistent while it runs. ``project.json`` names the generation G of the
journal lines that apply over it; the rewrite writes it with a new generation N (higher than any
line the journal may hold). The line of the save that started the rewrite is appended first, in G
(its state is in the snapshot too). Each save while the rewrite runs appends its line twice, in G
and in N, in one fsynced write. A crash (``kill -9``) at any moment leaves either the old
``project.json`` - its G lines hold every save, those made during the rewrite included - or the new
one - the snapshot plus the N lines of every save made after it. The rewrite's temporary file is
removed when the project is next opened. When the rewrite has ended, the owner's thread folds its
result (`Project.finish_compaction`): on success the header is the new one and the journal is
deleted when no save came meanwhile (else its G lines are simply no longer read); on failure
(disk full) the G lines go on applying, the N lines are never read (N is not used again), and
`Project.compaction_error` says why. A rewrite in place whose folder fsync failed (written, maybe
not durable) gives the project its generation, and a power loss may bring the file before it back:
until a rewrite is durable, or a folder fsync works, each line names that file's generation too
(`Project._append`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fosp_core.annotation.compaction_rows import (
    CapturedRows,
    EncodedRows,
    encode_rows,
    project_images,
)
from fosp_core.annotation.document import Signal
from fosp_core.annotation.entries import (
    ImageEntry,
    ProjectSaveError,
    dump_project,
    journal_generation,
    journal_lines,
    project_parts,
    read_json,
)
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE
from fosp_core.annotation.storage import StorageError, atomic_write

__all__ = ["BackgroundCompactions", "BackgroundRewrite", "journal_max_generation"]


def journal_max_generation(path: Path) -> int:
    """The highest generation of any line in the journal at `path` (0 when none or unreadable):
    a new ``project.json`` generation must be above it, so that no old line ever applies to it."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    highest = 0
    for line in journal_lines(data):
        try:
            value = read_json(line).get("generation")
        except (ValueError, AttributeError):
            continue  # torn by a crash
        if isinstance(value, int) and not isinstance(value, bool):
            highest = max(highest, value)
    return highest


class BackgroundRewrite:
    """One ``project.json`` rewrite on a daemon thread (see module doc).

    header: the new header (with the new journal generation); rows: the entries' values
    (`CapturedRows.take`, `fosp_core.annotation.compaction_rows.snapshot`); previous: the lines of an earlier rewrite's rows, reused for
    the rows that are the same tuples; notify: called on the worker thread when the rewrite has
    ended (written or failed). Read `error` (None: written) and `encoded` (the lines of `rows`, for
    the next rewrite; None when encoding failed) once `done`; `lines_after`: journal lines the owner
    appended since the snapshot (kept by the owner).
    """

    def __init__(self, path: Path, header: dict[str, Any], rows: list[tuple[Any, ...]],
                 notify: Callable[[], None] | None = None, previous: EncodedRows | None = None) -> None:
        self.path = path
        self.header = header
        self.generation = int(header["journal"])
        self.error: ProjectSaveError | None = None
        self.in_place = False  # the error a failed folder fsync: the file written all the same
        self.encoded: EncodedRows | None = None
        self.lines_after = 0
        self._rows: list[tuple[Any, ...]] | None = rows
        self._previous = previous
        self.notify = notify  # set to None by an owner that lets the project go (`BackgroundCompactions`)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fosp-project-rewrite", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            rows, self._rows, previous, self._previous = self._rows or [], None, self._previous, None
            self.encoded = encode_rows(rows, previous)
            atomic_write(self.path, b"".join(project_parts(self.header, project_images(self.encoded))))
        except StorageError as exc:
            self.error = ProjectSaveError(exc.path, exc.reason)
            self.in_place = exc.in_place  # written, only not durable: its generation is the file's
        except Exception as exc:  # noqa: BLE001 - told as a failed rewrite, the journal keeps the saves
            self.error = ProjectSaveError(self.path, f"cannot write: {exc}")
        finally:
            self._done.set()
            notify = self.notify  # read once: the owner may set it to None meanwhile
            if notify is not None:
                with contextlib.suppress(RuntimeError):  # its receiver gone (a window closed)
                    notify()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> None:
        """Until the rewrite has ended."""
        self._done.wait()


class BackgroundCompactions:
    """The background rewrites of a `fosp_core.annotation.project.Project` (its base class): starting
    one from a snapshot (`_start_rewrite`) and taking its end (`finish_compaction`)."""

    folder: Path
    header: dict[str, Any]
    entries: list[ImageEntry]
    events: Signal
    compaction_error: ProjectSaveError | None
    _index: dict[str, int]
    _rewrite: BackgroundRewrite | None
    _generation: int
    _unsure: list[int]  # generations of project.json files a power loss may bring back (Project._append)
    _journal_lines: int
    _compact_at: int
    journal_view: Callable[[list[ImageEntry]], list[ImageEntry]]  # BackgroundSaves': the entries as journaled
    journaled_entry: Callable[[ImageEntry], ImageEntry]  # BackgroundSaves': one entry as journaled
    _captured: CapturedRows | None = None  # the entries' values, kept while compacting in background
    _encoded: EncodedRows | None = None  # the lines of the last rewrite, reused by the next one

    _compaction_notify: Callable[[], None] | None = None

    def _retry_later(self) -> None:
        raise NotImplementedError

    @property
    def compaction_notify(self) -> Callable[[], None] | None:
        """Called on the rewrite's thread when a background rewrite has ended; set, it reaches a rewrite
        already running too (a window letting the project go sets it to None: nothing of the window torn
        down may be called later, `app.annotation.close_waits.let_go`)."""
        return self._compaction_notify

    @compaction_notify.setter
    def compaction_notify(self, notify: Callable[[], None] | None) -> None:
        self._compaction_notify = notify
        rewrite = getattr(self, "_rewrite", None)
        if rewrite is not None:
            rewrite.notify = notify

    @property
    def compact_in_background(self) -> bool:
        """Rewrite ``project.json`` on a worker thread when the journal is due after a save (off: in
        the saving call, as scripts want). Turning it on captures the entries' values (work per
        entry, once: ~50-100 ms at 100 000 images, more while the GUI's objects fill the collector's
        generations): the app turns it on where the project is opened (`app.annotation.projects.
        prepare_projects`, the open's worker thread for a big open), before the saving thread takes it."""
        return self._captured is not None

    @compact_in_background.setter
    def compact_in_background(self, on: bool) -> None:
        if not on:
            self._captured = self._encoded = None
        elif self._captured is None:  # as the journal holds them (`journal_view`), as `_dump_all` writes
            self._captured = CapturedRows(self.entries, self.journal_view(self.entries))

    def _capture(self, entries: list[ImageEntry], *, read: bool = False) -> None:
        """Keep the values of `entries` (their state was just journaled; `read`: read, their status as
        the journal holds it kept, `journaled_entry`) for the next background rewrite."""
        if self._captured is not None:
            for entry in entries:
                self._captured.capture(self.entries, self._index, entry, self.journaled_entry(entry) if read else None)

    def _dump_all(self, header: dict[str, Any]) -> bytes:
        """``project.json``'s bytes for an inline rewrite (`dump_project`) of the entries as the journal
        holds them (`journal_view`: a status shown ahead of its line is not written); compacting in
        background, the entries' values are captured again too (what the file holds: the base of the
        next background rewrite, which encodes every entry again on its thread)."""
        entries = self.journal_view(self.entries)
        if self._captured is not None:
            self._captured.capture_all(self.entries, entries)
            self._encoded = None
        return dump_project(header, entries)

    def _start_rewrite(self) -> None:
        """Rewrite ``project.json`` on a worker thread from the entries' values captured so far."""
        assert self._captured is not None
        self._generation += 1
        header = dict(self.header, updated=time.time(), journal=self._generation)
        rows, previous, self._encoded = self._captured.take(self.entries, self.journal_view), self._encoded, None
        self._rewrite = BackgroundRewrite(self.folder / PROJECT_FILE, header, rows, self.compaction_notify, previous)

    @property
    def compacting(self) -> bool:
        """Whether a background rewrite of ``project.json`` is running or its end not yet taken."""
        return self._rewrite is not None

    def finish_compaction(self, wait: bool = False) -> bool:
        """Take the result of a background rewrite that has ended (`wait`: wait for it); on the
        thread that saves. True when one was taken: its event ("compacted" / "compaction_failed")
        was emitted and `compaction_error` set or cleared."""
        rewrite = self._rewrite
        if rewrite is None or not (rewrite.done or wait):
            return False
        rewrite.wait()
        self._rewrite = None
        if self._captured is not None:
            self._encoded = rewrite.encoded  # valid for its rows, whether the file was written or not
        if rewrite.error is not None:
            if rewrite.in_place:  # later journal lines must be of the file's generation (and the old file's)
                self._unsure.append(journal_generation(self.header))
                self.header, self._journal_lines = rewrite.header, rewrite.lines_after
            self.compaction_error = rewrite.error
            self._retry_later()
            self.events.emit(("compaction_failed", "", rewrite.error))
            return True
        self.header, self._unsure = rewrite.header, []  # the lines of older generations: never applied again
        self._journal_lines = rewrite.lines_after
        self._compact_at = 0
        self.compaction_error = None
        if not rewrite.lines_after:
            try:
                (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
            except OSError:
                pass  # harmless: emptied the next time
        self.events.emit(("compacted", "", None))
        return True
