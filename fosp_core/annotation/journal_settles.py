"""The end of a journal fsync of background saves (`JournalSettles`, a base of
`fosp_core.annotation.mask_saves.BackgroundSaves`).

The lines of background saves are appended to the journal without fsync; the save thread's journal
fsync job (`save_worker.SETTLE_KEY`) makes them durable, and each image's recovery log stays until
that job's end is taken (`fosp_core.annotation.mask_saves`). When it worked, the log of each of its
images goes, unless a record was appended to it since its line was written (`log_grew`: a later
commit or a status record, which the log must keep).

When it failed (EIO: maybe a failing disk) nothing is lost - the logs stay, and a re-opening applies
them - but the lines may never reach the disk: the failure is told like any failed save of the
image (a ``save_failed`` event whose reason says the save "cannot make it durable", which the app
words as a disk problem; `last_error`), its document counted not saved (`is_saved` false) while no
later commit replaced it. A later fsync that works is no proof of the earlier lines (after a
writeback error Linux may mark their pages clean, never written), so the next save writes each such
image's line again (`retry_lines`), in the batch of lines its fsync covers; once that fsync works the
image's log goes and its document is saved again (a ``saved`` event). A later commit of the image
is its own save (its line, its fsync): the failed line is then forgotten.

Inside a `batch` a save's state is no journal line but waits for the batch's end (``project.json``,
or the journal when that rewrite failed): the log of each image saved in the batch - a background
save taken then, a `save_mask` (whose log first gets a whole-mask record of the state written) - is
held (`hold_for_batch`) and goes only once the batch's end made that state durable
(`batch_ended`), unless a record was appended to it since.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fosp_core.annotation.document import Signal
from fosp_core.annotation.entries import ImageEntry, ProjectError, ProjectSaveError
from fosp_core.annotation.project_files import JOURNAL_FILE
from fosp_core.annotation.save_worker import SETTLE_KEY
from fosp_core.io.atomic import fsync_dir

if TYPE_CHECKING:
    from fosp_core.annotation.save_worker import MaskSaver

__all__ = ["JournalSettles", "Settles", "fsync_failed_reason"]


def fsync_failed_reason(why: str) -> str:
    """The reason told for a journal fsync that failed with `why` ("Input/output error")."""
    return (f"written, but cannot make it durable (the journal's fsync failed: {why}; the edit is kept in its "
            "recovery log, which the next opening applies, and the next save writes it again)")


#: the lines a journal fsync job covers: image id -> (its log's version when its line was written,
#: the document revision that line saved)
Settles = dict[str, tuple[int, int]]


class JournalSettles:
    """What a project does when a journal fsync of its background saves ended (see module doc)."""

    events: Signal
    last_error: ProjectError | None
    folder: Path
    _unsure: list[int]
    _saved_revision: dict[str, int]
    _log_version: dict[str, int]
    entry: Callable[[str], ImageEntry]
    record_state: Callable[..., None]
    _mask_written: Callable[[str], None]
    _newest: dict[str, int]  # BackgroundSaves': image id -> the seq of its newest save job not taken yet
    _saver: MaskSaver | None
    _settles_out: int
    finish_saves: Callable[..., int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the lines whose journal fsync failed (written again with the next save)
        self._unsynced: Settles = {}
        #: images saved in the running batch -> their log's version then (`hold_for_batch`)
        self._batch_logs: dict[str, int] = {}
        #: the masks folder a recovery log was removed from (`_mask_written`), not fsynced since
        self._logs_removed: Path | None = None
        #: the journal was created while the project folder's fsync failed: no line in it durable until one works
        self._entry_unsure = False

    def image_settles(self, image_id: str, timeout: float) -> bool:
        """`finish_saves(wait=True, image_id=...)` waiting `timeout` seconds at most in all: for the mask save of
        `image_id` under way, then for the journal fsync its line queued, each taken once ended. False: the
        image's save still under way (a disk that does not answer); True: not (its line's fsync maybe still)."""
        saver = self._saver
        if saver is None or (image_id not in self._newest and not saver.busy(image_id)):
            return True
        deadline = time.monotonic() + timeout
        if not saver.wait(image_id, timeout):
            return False
        self.finish_saves()
        if self._settles_out and saver.wait(SETTLE_KEY, max(0.0, deadline - time.monotonic())):
            self.finish_saves()  # a failed fsync told now, as a wait for it told it
        return True

    def saves_under_way(self) -> list[str]:
        """The images whose newest commit's mask save has not been taken yet (queued, being written, or ended
        and not looked at): their mask file may not hold it (their recovery log does, unless its record is
        still queued: `fosp_core.annotation.log_sync.appends_waiting`). For the window's close."""
        return sorted(self._newest)

    def _settled(self, settles: Settles | None, error: ProjectSaveError | None) -> None:
        """A journal fsync covering the lines `settles` ended (`error`: it failed)."""
        if settles is None:
            return
        if error is None and self._entry_unsure:  # the journal's entry in its folder may not be durable
            error = ProjectSaveError(self.folder / JOURNAL_FILE, fsync_failed_reason(
                "the journal was created while the project folder's fsync failed, and it still fails"))
        if error is not None:
            self._fsync_failed(settles, error)
            return
        for image_id, (version, revision) in settles.items():
            self._unsynced.pop(image_id, None)
            if self._log_version.get(image_id, 0) != version:
                continue  # a record appended since: the log keeps it
            self._mask_written(image_id)
            if self._saved_revision.get(image_id) == -1:  # told not saved by a failed fsync of this line
                self._saved_revision[image_id] = revision
                self.events.emit(("saved", image_id, None))

    def unsynced_images(self) -> list[str]:
        """The images whose newest line's journal fsync failed, no later save of them since: their
        state is in their recovery logs only (kept, written again with the next save). The app
        counts them not saved, whether their document is open or was let go."""
        return [i for i, (version, _) in self._unsynced.items() if self._log_version.get(i, 0) == version]

    def hold_for_batch(self, image_id: str) -> None:
        """`image_id`'s state was saved inside a batch: its log stays until the batch's end."""
        self._batch_logs[image_id] = self._log_version.get(image_id, 0)

    def batch_ended(self, durable: bool) -> None:
        """The batch's end wrote its state (`durable`: made durable, ``project.json`` or the journal):
        the logs held for it go, but those with a record appended since; not durable, they all stay."""
        held, self._batch_logs = self._batch_logs, {}
        if durable:
            for image_id, version in held.items():
                if self._log_version.get(image_id, 0) == version:
                    self._mask_written(image_id)

    def _fsync_failed(self, settles: Settles, error: ProjectSaveError) -> None:
        """The lines `settles` may not be durable: their logs stay; each image whose line is still
        its newest state is told not saved, and its line written again with the next save."""
        for image_id, (version, revision) in settles.items():
            if self._log_version.get(image_id, 0) != version:
                self._unsynced.pop(image_id, None)
                continue  # a later commit (or status record): its own save tells what it has
            self._unsynced[image_id] = (version, revision)
            if self._saved_revision.get(image_id) in (revision, -1):
                self._saved_revision[image_id] = -1
                self.last_error = error
                self.events.emit(("save_failed", image_id, error))

    def retry_lines(self, settles: Settles) -> None:
        """Before queuing a journal fsync of the lines `settles`: the line of each image whose last
        fsync failed is written again (without fsync) and added to them. An image with a record
        appended to its log since is left out (its later save tells); a line that cannot be written
        (disk full) waits for the next save."""
        for image_id, (version, revision) in list(self._unsynced.items()):
            if image_id in settles:
                continue  # a newer line of the image is in this fsync already
            if self._log_version.get(image_id, 0) != version:
                del self._unsynced[image_id]  # a later commit or status: its own save tells
                continue
            try:
                self.record_state(self.entry(image_id), durable=False)
            except ProjectError:
                continue
            settles[image_id] = (version, revision)

    def settle_removed_logs(self) -> None:
        """Before a state saved without a log (`status_saves.set_status`): the logs removed made durably gone
        (their folder fsynced): a power loss would bring one back, its last word applied over that state.
        Raises ProjectSaveError (nothing written)."""
        if (folder := self._logs_removed) is not None:
            try:
                fsync_dir(folder)
            except OSError as exc:
                raise ProjectSaveError(folder, f"cannot make a recovery log's removal durable: {exc}") from exc
            self._logs_removed = None

    def _settle_folder(self) -> None:
        """Before a journal line while a rename in the project folder (`Project._unsure`) or the journal's
        creation (`_entry_unsure`) may not be durable: a fsync of the folder; when it works, they are."""
        with contextlib.suppress(OSError):
            fsync_dir(self.folder)
            self._unsure, self._entry_unsure = [], False

    def _entry_unsure_error(self, error: type[ProjectSaveError]) -> ProjectSaveError | None:
        """An `error` for a durable journal line while the journal's creation is not durable, else None."""
        if not self._entry_unsure:
            return None
        return error(self.folder / JOURNAL_FILE, "written, but cannot make it durable (the journal was created "
                     "while the project folder's fsync failed, and it still fails)")
