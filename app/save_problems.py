"""Edits not saved, in the words the user is told them: :class:`SaveProblem` (saves failing now: which
image, why, what is kept and what to do) and :class:`LostEdits` (the window closed while they failed),
with the short forms of a storage failure's reason (`short_reason`, `brief_reason`) and of a list of
images (`image_names`). Plain values: the error reporters (`app.services`) show them,
`app.annotation.save_status.SaveStatus` makes them."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from fosp_core.io.atomic import IN_USE
from fosp_core.session import OpenError

__all__ = ["LostEdits", "SaveProblem", "brief_reason", "image_names", "short_reason"]


def image_names(images: list[str], listed: int = 5) -> str:
    """"a, b and c", "a, b, c, d, e and 7 more"."""
    if len(images) > listed:
        return f"{', '.join(images[:listed])} and {len(images) - listed} more"
    return images[0] if len(images) == 1 else f"{', '.join(images[:-1])} and {images[-1]}"


def short_reason(reason: str) -> str:
    """"cannot write: disk full" -> "disk full" (the storage layer's prefix, said once already)."""
    return reason.removeprefix("cannot write: ")


def brief_reason(reason: str) -> str:
    """`short_reason` without what it says in brackets, for the status bar's button and the close
    question ("written, but cannot make it durable (the journal's fsync failed: ...)" -> "written, but
    cannot make it durable"); the message and the tooltip keep the whole reason. A reason that says
    the disk is full anywhere (a journal fsync that failed for room) is "disk full"."""
    short = short_reason(reason)
    return "disk full" if "disk full" in short else short.split(" (", 1)[0]


@dataclass(frozen=True)
class SaveProblem:
    """Edits not saved because their saves failed, as the user is told about them.

    image / error: the image whose failure is told and its failure (the file, "cannot write: disk
    full"); folder: the project folder (where room is needed); unsaved: the images whose edits are
    not on disk now, empty once every edit is saved again; reasons: their failures' reasons;
    logged: those of `unsaved` whose document was let go (the annotator moved on): their edit is no
    longer in memory but in their recovery log on disk, which the next save writes again and the
    next opening of the project applies (a failed journal fsync: `fosp_core.annotation.journal_settles`).
    """

    image: str
    error: OpenError
    folder: Path
    unsaved: tuple[str, ...]
    reasons: tuple[str, ...]
    logged: tuple[str, ...] = ()

    def headline(self) -> str:
        """"Could not save img01: disk full"."""
        return f"Could not save {self.image}: {short_reason(self.error.reason)}"

    @property
    def let_go(self) -> list[str]:
        """Those of `unsaved` whose document was let go: their edits are in their recovery logs."""
        return [i for i in self.logged if i in self.unsaved]

    def kept(self) -> str:
        """Where the edits not saved are: "edits kept in memory", "edits kept in their recovery logs
        on disk" (documents let go), or both."""
        let_go = self.let_go
        if not let_go:
            return "edits kept in memory"
        if len(let_go) < len(self.unsaved):
            return "edits kept in memory and in recovery logs on disk"
        return "edit kept in its recovery log on disk" if len(let_go) == 1 else "edits kept in their recovery logs on disk"

    def summary(self) -> str:
        """"3 images not saved — disk full; edits kept in memory" (the status bar's indicator)."""
        if not self.unsaved:
            return "All edits saved"
        count = len(self.unsaved)
        why = ", ".join(dict.fromkeys(brief_reason(r) for r in self.reasons))
        return f"{count} image{'' if count == 1 else 's'} not saved — {why}; {self.kept()}"

    def fix(self) -> str:
        """What to do: take the project back from the program that took it over, check a disk that
        could not make a save durable or reported an I/O error, "Free some space on the disk that
        holds <folder>", or put back a project folder that is gone (moved, renamed or deleted while
        the project was open)."""
        reasons = (*self.reasons, self.error.reason)
        if any("taken over" in r for r in reasons):
            return ("Another program holds the project now (its masks are rescued where this says): "
                    "close it there, then choose Annotate ▸ Take Over… to save here again")
        io_error = os.strerror(errno.EIO)  # the words the OSError carried, in the same language
        # a full disk first: a journal fsync failing for room (ENOSPC) "cannot make it durable" too
        failing = any(("cannot make it durable" in r or io_error in r) and "disk full" not in r for r in reasons)
        if any("disk full" in r for r in reasons):
            also = " and check that disk: it also reported an I/O error while saving" if failing else ""
            return f"Free some space on the disk that holds {self.folder}{also}"
        if failing:
            return (f"Check the disk that holds {self.folder} (it reported an I/O error while saving: "
                    "the next save writes again)")
        if not self.folder.is_dir():
            return f"The project folder {self.folder} was moved, renamed or deleted: put it back there"
        if any(IN_USE in r for r in reasons):  # Windows: a file held open (`fosp_core.io.atomic.TargetInUseError`)
            return ("Close the program that has the file open (a viewer, an editor; an antivirus scan or a sync "
                    "client lets go of it in a moment)")
        return f"Make {self.folder} writable again"

    def advice(self) -> str:
        """What is kept and what to do."""
        let_go = self.let_go
        open_ = len(self.unsaved) - len(let_go)
        kept = []
        if open_:
            kept.append(f"The edits{' of the open images' if let_go else ''} are kept in memory")
        if let_go:
            names = ", ".join(let_go[:5]) + (f" and {len(let_go) - 5} more" if len(let_go) > 5 else "")
            logs = "edit of {} is in its recovery log" if len(let_go) == 1 else "edits of {} are in their recovery logs"
            kept.append(f"{'the' if open_ else 'The'} {logs.format(names)} on disk "
                        "(the next opening of the project applies them)")
        return (f"{' and '.join(kept)}; they are saved automatically with the next save that works "
                f"(your next edit, of any image). {self.fix()}, then go on; the status bar counts the images "
                "not saved until then. Closing the window asks what to do with them.")

    def text(self) -> str:
        """Everything in one line (collected reports, logs)."""
        return f"Could not save {self.image}: {self.error.reason}. {self.advice()} {self.summary()}."


@dataclass(frozen=True)
class LostEdits:
    """The last edits of image `image`, lost: the window closed while their save still failed
    (`error`: the file and the reason, "cannot write: disk full")."""

    image: str
    error: OpenError

    def text(self) -> str:
        """"Could not save img01: cannot write: disk full - its last edits are lost"."""
        return f"Could not save {self.image}: {self.error.reason} - its last edits are lost"
