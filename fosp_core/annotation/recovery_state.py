"""What a project knows of its recovery logs (`RecoveryState`, a base of
`fosp_core.annotation.project.Project` through `fosp_core.annotation.mask_saves.BackgroundSaves`).

Opening applies the logs a crash left (`recover_logs`, `fosp_core.annotation.recovery.recover`):
`recovered` names the images rebuilt, `recovery_problems` the logs not applied (or not whole). The
logs opening did not apply - read-only, another process still saving; or a save that failed now -
are `pending_logs` (`note_pending_logs`: their images' status is their log's last, in memory). A
log that could not be applied at all is set aside under ``<log>.unapplied`` and stays there, read by
nothing, until the user discards it: `unapplied_logs` lists them at every opening (``fosp project
status``, the app's save status) with how to discard one (`DISCARD_HOW`), never deleted silently.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.labels import image_size
from fosp_core.annotation.recovery import (
    RECOVERY_SUFFIX,
    RecoveryProblem,
    UnappliedLog,
    read_log_checked,
    recover,
    unapplied_logs,
)
from fosp_core.io.long_names import IdsOfStems

__all__ = ["DISCARD_HOW", "RecoveryState", "discard_command", "unapplied_lines"]

#: how a set-aside log is discarded, for the user (`discard_command` gives the exact line)
DISCARD_HOW = "fosp project discard-log PROJECT LOG"


def discard_command(folder: Path, log: Path | None) -> str:
    """The exact command that discards `log` (None: every one), set aside in the project at
    `folder` (quoted for a POSIX shell)."""
    which = "--all" if log is None else shlex.quote(log.name)
    return f"fosp project discard-log {shlex.quote(str(folder))} {which}"


def unapplied_lines(folder: Path, logs: Sequence[UnappliedLog]) -> list[str]:
    """Each log set aside in the project at `folder`, as ``fosp project status`` and the app's
    indicator list it: its image and path, then the command that discards it, on an indented line."""
    return [f"  {log.image_id}: {log.path}\n    discard it: {discard_command(folder, log.path)}" for log in logs]


class RecoveryState:
    """The recovery logs of an open project (see module doc): `recovered`, `recovery_problems`,
    `pending_logs`, `unapplied_logs()`."""

    # provided by Project and ProjectImages (annotations only: a method here would shadow theirs)
    ids: list[str]
    folder: Path
    read_only: bool
    image_path: Callable[[str], Path]
    mask_path: Callable[[str], Path]
    entry: Callable[[str], ImageEntry]
    load_mask: Callable[[str], np.ndarray | None]
    save_mask: Callable[..., None]
    _journaled: dict[str, Status]  # BackgroundSaves': image id -> its status in the journal, while a log runs ahead

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: image ids whose recovery log was applied when the project was opened
        self.recovered: list[str] = []
        #: the logs opening could not apply, or not all of one (`fosp_core.annotation.recovery.recover`)
        self.recovery_problems: list[RecoveryProblem] = []
        #: images whose recovery log holds commits not in their mask file, which opening did not
        #: apply (read-only: another process is saving them; or their save failed now): `load_mask`
        #: and their status show them, in memory
        self.pending_logs: list[str] = []

    def recover_logs(self, masks_names: list[str] | None = None) -> list[str]:
        """Apply the recovery logs a crash left (`fosp_core.annotation.recovery.recover`); the ids
        (the problems in `recovery_problems`). `masks_names`: ``masks/``'s listing, when the opening has it."""
        listed = None if masks_names is None else {self.folder / "masks": masks_names}
        report = recover({self.mask_path(i): i for i in self.ids}, self.load_mask, self.save_mask,
                         lambda i: image_size(self.image_path(i)), listed)
        self.recovery_problems = report.problems
        return report.recovered

    def unapplied_logs(self) -> list[UnappliedLog]:
        """The recovery logs set aside in this project (never applied; they stay until discarded
        with `discard_command`), listed now."""
        return unapplied_logs(self.folder / "masks", self.ids)

    def pending_note(self) -> str:
        """"; N images shown with edits not yet in their mask files" (`pending_logs`), or ""."""
        n = len(self.pending_logs)
        if n == 0:
            return ""
        return "; 1 image shown with edits not yet in its mask file" if n == 1 else \
            f"; {n} images shown with edits not yet in their mask files"

    def note_pending_logs(self, masks_names: list[str] | None = None) -> None:
        """After opening: the recovery logs still there that this project did not write (read-only:
        another process's, or a crash's; writable: one whose save failed now) are `pending_logs`;
        their images' status is their log's last, their smoke ratio unknown (in memory: the mask
        file does not hold their mask, so a status is never saved beside it alone). Writable, the journal's
        status stays the one written (`_journaled`: a ``project.json`` rewrite writes that one, `journal_view`):
        a killed process's log may not be durable, and its status there came back after a power loss over
        the mask before it. `masks_names`: ``masks/``'s listing, when the opening has it (read-only: else
        listed here)."""
        if not self.read_only:  # only those whose save failed on opening: no second listing of the masks
            logs = [p.log for p in self.recovery_problems if p.log is not None and p.log.name.endswith(RECOVERY_SUFFIX)]
        elif masks_names is not None:
            logs = sorted(self.folder / "masks" / n for n in masks_names if n.endswith(f".png{RECOVERY_SUFFIX}"))
        else:
            try:
                logs = sorted((self.folder / "masks").glob(f"*.png{RECOVERY_SUFFIX}"))
            except OSError:
                return
        stems = IdsOfStems(lambda: self.ids)  # a long id's log is named in short form (`fosp_core.io.long_names`)
        for log in logs:
            image_id = stems.id_of(log.name[: -len(f".png{RECOVERY_SUFFIX}")])
            try:
                entry = self.entry(image_id)
            except KeyError:
                continue
            records = read_log_checked(log).records
            if records:
                self.pending_logs.append(image_id)
                if not self.read_only:  # the log may not be durable (a killed process's): never in project.json
                    self._journaled.setdefault(image_id, entry.status)
                entry.status, entry.smoke_ratio = Status(records[-1].status), None
