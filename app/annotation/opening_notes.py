"""What an opening says of its projects, said once and kept by the window's "Opened 4 images" line.

Opening projects says several things in the status bar: a project opened read-only (another process
holds its lock: who), the last edits recovered after a crash, the recovery logs set aside, a project
file that could not be updated. Said one after the other, each replaced the one before, and the
window's "Opened 4 images" replaced them all at once: the user saw none. `OpeningNotes` holds what
is said while the projects are adopted (`gathered`), then says it as one message (the read-only
one first: it governs every tool) and keeps it as `last`; the window's opening adds it to its own
line (`opened_with`): "Opened 4 images · read-only project: locked by pid 812 on host lab (...)".
A message kept until replaced (timeout 0, as the read-only one) keeps the combined line so too.

What an opening finds in a shared project (`shared_findings`: a sync tool's conflicted copies beside it,
`Project.conflicts`; images with work whose file is gone, renamed or removed while it was closed,
`Project.listing.missing`) is said in that line, short, and in full in a quiet notice
(`app.annotation.save_status.SaveStatus.opened`, `app.quiet_notice`: no modal box, the keyboard stays).

A dataset's own labels (``SegmentationClass/``, a SMOKE5K ``gt/``) are its images' ground truth, not masks to
edit: its images open unlabelled. An annotator who expects them as editable masks (CVAT and labelme show a
labelled dataset's) is told so in that line while some are not brought in (`labels_not_brought_in`), and
where: Annotate ▸ Import Labels…, whose dialog opens with the dataset selected
(`app.annotation.import_labels_dialog.start_folder`). The count is of the images opened (`opened_ids`): one
image of a 30-image dataset opened said "Opened 1 image · 30 SegmentationClass labels are…", the dataset's
count beside the one image shown; it says "this image's SegmentationClass label is…" now.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.open_words import kept_where_looked
from fosp_core.annotation.document import Status
from fosp_core.annotation.project_conflicts import conflicts_words, gone_words, listed_names

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["LABELS_NOTE_MS", "Note", "OpeningNotes", "combined", "labels_not_brought_in", "labels_waiting",
           "labels_words", "opened_ids", "opened_with", "shared_findings"]

#: a status-bar message: (text, timeout in ms; 0: shown until another message replaces it)
Note = tuple[str, int]
SEPARATOR = " · "
#: how long "Labels of this folder are kept in …" stays in the status bar
KEPT_ELSEWHERE_MS = 15000
#: how long "30 SegmentationClass labels are ground truth only: …" stays in the status bar
LABELS_NOTE_MS = 15000


def combined(notes: list[Note]) -> Note | None:
    """`notes` as one message: those kept until replaced (timeout 0) first, then in the order said,
    joined by " · " (each after the first starting lower case); kept until replaced when one of them
    is, else as long as the longest. None for no note."""
    if not notes:
        return None
    ordered = [n for n in notes if n[1] == 0] + [n for n in notes if n[1] != 0]
    texts = [ordered[0][0], *(_lower_first(text) for text, _ in ordered[1:])]
    return SEPARATOR.join(dict.fromkeys(texts)), _timeout([ms for _, ms in notes])


def opened_with(opened: Note, note: Note | None) -> Note:
    """The window's line after an opening (`opened`: "Opened 4 images", its timeout) with what the
    opening said of its projects (`note`, from `OpeningNotes.last`) after it."""
    if note is None:
        return opened
    return f"{opened[0]}{SEPARATOR}{_lower_first(note[0])}", _timeout([opened[1], note[1]])


def shared_findings(project: Project) -> tuple[str, str] | None:
    """(the status line's words, the notice's text) of what the opening of `project` found beside it or
    missing from its folder (see the module doc); None when it found nothing."""
    lines: list[str] = []
    texts: list[str] = []
    if copies := project.conflicts:
        count = len(copies)
        lines.append(f"{count} conflicted cop{'y' if count == 1 else 'ies'} beside the project (a sync tool's): "
                     "not in it")
        texts.append(conflicts_words(project.folder, copies) + ".")
    if missing := [project.entry(image_id).image for image_id in project.listing.missing]:
        count = len(missing)
        lines.append(f"{count} image{'' if count == 1 else 's'} with work gone from the folder ({listed_names(missing)})")
        texts.append(gone_words(missing, project.images_root))
    if not lines:
        return None
    return "Shared project: " + "; ".join(lines), "\n\n".join(texts)


#: the statuses of an image whose dataset label is not its mask, and which an import of the labels replaces: none
#: yet, or a model's (Pre-label All, Accept Prediction); never a person's (edited, reviewed)
_NOT_BROUGHT_IN = (Status.UNLABELED, Status.PREDICTED)


def opened_ids(project: Project, paths: Iterable[str | os.PathLike[str]] | None) -> set[str] | None:
    """The ids of the images of `project` that `paths` open (an image file: itself; a folder: the images under it),
    by their text alone, nothing read (an open's paths are as the user gave them: made absolute, not resolved). None:
    every image of it (`paths` None, a path at or above its images' root, or none of them under that root as
    written: a path through a link, whose images are not told apart from the others here)."""
    if paths is None:
        return None
    root = os.fspath(project.images_root)
    files: set[str] = set()
    folders: list[str] = []
    for raw in paths:
        path = os.path.abspath(os.path.expanduser(os.fspath(raw)))
        if path == root or root.startswith(path.rstrip(os.sep) + os.sep):
            return None  # the dataset itself or a folder above it: all its images
        if path.startswith(root.rstrip(os.sep) + os.sep):
            relative = path[len(root.rstrip(os.sep)) + 1:].replace(os.sep, "/")
            files.add(relative)
            folders.append(relative.rstrip("/") + "/")
    if not files:
        return None
    prefixes = tuple(folders)
    return {e.id for e in project.entries if e.image in files or e.image.startswith(prefixes)}


def labels_waiting(project: Project, images: Collection[str] | None = None) -> tuple[int, int, str] | None:
    """(images whose dataset label is not their mask: none yet or a model's, images with a dataset label, the
    labels' folder: "SegmentationClass", "gt", "" when several) of `project` (of its images `images` alone, ids,
    when given), by status, nothing read; None when none waits, for a folder of photos (no labels) and for a
    read-only project (nothing may be imported into it)."""
    if getattr(project, "read_only", False):  # (the Export dialog's tests give it entries alone)
        return None
    labelled = [e for e in project.entries if e.label is not None and (images is None or e.id in images)]
    waiting = [e for e in labelled if e.status in _NOT_BROUGHT_IN]  # what an import of them replaces
    if not waiting:
        return None
    # the folder of the first and the last label (a dataset keeps them in one; all 30 000 split: ~10 ms more)
    folders = {head for e in (waiting[0], waiting[-1]) if e.label is not None and (head := e.label.partition("/")[0]) != e.label}
    return len(waiting), len(labelled), folders.pop() if len(folders) == 1 else ""


def labels_words(waiting: tuple[int, int, str], what: str) -> str:
    """"30 SegmentationClass labels are `what`" ("28 of 30 … labels are", "1 … label is")."""
    count, labelled, folder = waiting
    kind = f"{folder} " if folder else ""
    number = f"{count:,}" if count == labelled else f"{count:,} of {labelled:,}"
    return f"{number} {kind}label{'' if number == '1' else 's'} {'is' if count == 1 else 'are'} {what}"


def labels_not_brought_in(project: Project, paths: Iterable[str | os.PathLike[str]] | None = None) -> str | None:
    """"30 SegmentationClass labels are ground truth only: Annotate ▸ Import Labels… to edit them": said when
    images of `project` (a dataset's) have a label of the dataset and no mask yet, or a model's (pre-labelled:
    an import replaces it); "28 of 30 …" when some were brought in or edited (`labels_waiting`). Counted among
    the images that `paths` (the open's) opened (`opened_ids`): "this image's SegmentationClass label is …" for
    one image opened alone. Short, so that the action still shows in a 1024 px window's status bar. None when
    none waits."""
    images = opened_ids(project, paths)
    waiting = labels_waiting(project, images)
    if waiting is None:
        return None
    what = f"ground truth only: Annotate ▸ Import Labels… to edit {'it' if waiting[0] == 1 else 'them'}"
    if images is not None and len(images) == 1:
        return f"this image's {waiting[2] or 'dataset'} label is {what}"
    return labels_words(waiting, what)


def _timeout(timeouts: list[int]) -> int:
    return 0 if 0 in timeouts else max(timeouts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class OpeningNotes:
    """Passes status-bar messages on to `emit` (text, timeout ms), except while `gathered`: then
    they are held and said as one message when it ends, kept as `last` (None when none was said)."""

    def __init__(self, emit: Callable[[str, int], None]) -> None:
        self._emit = emit
        self._held: list[Note] | None = None
        #: what the last `gathered` said (one message), for the window's "Opened N images" line
        self.last: Note | None = None

    def say(self, text: str, timeout_ms: int = 0) -> None:
        """Show `text` for `timeout_ms` (0: until replaced), or hold it while gathering."""
        if self._held is None:
            self._emit(text, timeout_ms)
        else:
            self._held.append((text, timeout_ms))

    def say_where_kept(self, source: Path, folder: Path) -> None:
        """Say where the labels of the folder `source` are kept (its project `folder`) when they cannot be kept
        beside it, the folder being read-only (`app.open_words.kept_elsewhere_text`); else nothing. As the open's
        worker looked at the folder (`app.open_words.look_kept_where`): not looked at again here."""
        if (text := kept_where_looked(source, folder)) is not None:
            self.say(text, KEPT_ELSEWHERE_MS)

    @contextmanager
    def gathered(self) -> Iterator[None]:
        """Hold what is said in the block; at its end say it as one message (`combined`), kept as
        `last`."""
        self._held, self.last = [], None
        try:
            yield
        finally:
            held, self._held = self._held, None
            self.last = combined(held or [])
            if self.last is not None:
                self._emit(*self.last)
