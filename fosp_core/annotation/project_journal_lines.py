"""The journal's lines and the batches of an annotation project (`fosp_core.annotation.project.Project`,
a base class of it): how a state is appended to ``changes.jsonl`` and how a `batch` defers the rewrite of
``project.json`` to its end.

Kept apart from the project's saving of documents: this is the writing of the journal itself (which
generations each line names, durable or not) and what the end of a batch writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fosp_core.annotation import mask_writes
from fosp_core.annotation.entries import ImageEntry, ProjectSaveError, dump_change, journal_generation
from fosp_core.annotation.events import Signal
from fosp_core.annotation.project_compaction import BackgroundRewrite
from fosp_core.annotation.project_files import JOURNAL_FILE
from fosp_core.annotation.storage import StorageError, append_record

__all__ = ["JournalLines"]


class JournalLines:
    """`batch` and the journal's appends of a `Project` (annotations only below: a method here would
    shadow the project's)."""

    folder: Path
    header: dict
    events: Signal
    compaction_error: ProjectSaveError | None
    _batch_depth: int
    _batch_changed: dict[str, ImageEntry]
    _state_pending: bool
    _unsure: list[int]
    _entry_unsure: bool
    _rewrite: BackgroundRewrite | None
    _journal_lines: int
    _compact: Callable[[], bool]
    batch_ended: Callable[[bool], None]
    _settle_folder: Callable[[], None]
    _entry_unsure_error: Callable[[type[ProjectSaveError]], ProjectSaveError | None]
    _capture: Callable[[list[ImageEntry]], None]

    @contextmanager
    def batch(self) -> Iterator[JournalLines]:
        """``with project.batch():`` - write ``project.json`` once at the end instead of after each
        mask (bulk imports and predictions); masks are still written one by one. That rewrite's
        outcome is an event, as a background rewrite's: "compacted", or "compaction_failed" (the
        batch's images then go to the journal; `compaction_error` says why)."""
        self._batch_depth += 1
        try:
            yield self
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._end_batch()

    def _end_batch(self) -> None:
        """The batch's state written (``project.json``, or the journal); its logs go once durable."""
        changed, self._batch_changed, durable = list(self._batch_changed.values()), {}, False
        try:
            if self._state_pending:
                written = durable = self._compact()
                self.events.emit(("compacted", "", None) if written
                                 else ("compaction_failed", "", self.compaction_error))
                if not written:
                    self._state_pending = False
                    self._append(changed)  # the rewrite failed: the batch's images go to the journal
                    durable = True
        finally:
            self.batch_ended(durable)

    def note_state(self, entry: ImageEntry, *, durable: bool = False) -> bool:
        """`entry`'s state as a journal line now, in a `batch` too: a kill keeps an import's states.
        Not fsynced unless `durable` (a mask save's intent, before a PNG that is: `mask_intents`). A
        line that cannot be written (or made durable) is let go: it is insurance only. Whether the line
        is in the journal (False: not written, the state is in memory only until the batch's end)."""
        try:
            self._append([entry], durable=durable)
        except mask_writes.NotDurableSaveError:
            return True
        except ProjectSaveError:
            return False
        return True

    def _append(self, entries: list[ImageEntry], durable: bool = True) -> None:
        """Append the state of `entries` to the journal, one line each, in one (durable) write, naming each
        generation whose ``project.json`` the next opening may find: the header's, a running rewrite's,
        and those a power loss may bring back (`_unsure`: `unsure_generations`, and the file's before each
        rewrite in place whose folder fsync failed; emptied by a durable rewrite or folder fsync)."""
        if not entries:
            return
        if self._unsure or self._entry_unsure:
            self._settle_folder()  # a folder fsync that works: the renames and the journal's entry durable
        generations = list(dict.fromkeys([journal_generation(self.header), *self._unsure]))
        if self._rewrite is not None:  # and in the rewrite's, for the project.json it may leave
            generations.append(self._rewrite.generation)
        # the line in place, its journal's creation (now or since the last folder fsync) not durable: raised
        written = self._entry_unsure_error(mask_writes.NotDurableSaveError) if durable else None
        try:
            append_record(self.folder / JOURNAL_FILE,
                          b"".join(dump_change(e, g) for e in entries for g in generations), durable=durable)
        except StorageError as exc:
            if (written := mask_writes.not_durable(exc)) is None:
                raise ProjectSaveError(exc.path, exc.reason) from exc
            self._entry_unsure = True
        self._journal_lines += len(entries)
        self._capture(entries)  # the state the next background rewrite writes
        if self._rewrite is not None:
            self._rewrite.lines_after += len(entries)
        if written is not None:
            raise written
