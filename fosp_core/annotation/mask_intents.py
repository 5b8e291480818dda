"""A mask save's intent: the journal says what a mask file about to be replaced will mean, before it is.

`Project.save_mask` writes the PNG (atomically), then the image's state (a journal line; in a
`Project.batch` - Pre-label All, Import Labels - a line not fsynced, `note_state`). A process killed
between the two left the new mask beside the old state: an image "unlabeled" with the model's mask,
which Pre-label skipped from then on (it writes only images with no mask file) and nobody was told of.

The rule: when a save changes the image's status (or puts a model's mask over a model's, PREDICTED over
PREDICTED: a replacing Pre-label, whose new smoke ratio and time are the state to keep), its entry is
first journalled (once the image's
background saves are taken, as the save itself does first; fsynced: the PNG after it is, by
`atomic_write`, so a power loss must not take the intent and leave the PNG; the batch's other lines
are not) with `INTENT_KEY`: the state the save gives it (status, updated, size, smoke ratio) and
the signature of the mask file it replaces (`file_signature`: inode, size, mtime; None: no file). An
opening (`resolve_intents`, before the recovery logs are applied) finds an entry still holding an
intent - a save that never wrote its state - and looks at the mask file: another file than the one
the intent names (an atomic write gives a new inode) is read, and when it holds the mask the save
wrote (`mask_digest`, kept in the intent) the entry takes the state the intent says; the same file (or
still none), or a file holding another mask, means the save never replaced it, and the entry stays as
it was. So after a kill at any point every image is either untouched or has its new mask with its new
status (a power loss too: the line is fsynced). A failed save puts the old file back under its old inode (`PreviousFile`: a hard link), so its
intent resolves to "untouched" too; an old file that could not be put back is the new mask, and takes
the new state.

Why the mask and not the file's signature alone: a file's inode changes without a write of it (the
project folder copied with ``cp -a`` or rsync after the kill, a backup put back, a FAT drive numbering
inodes anew at each mount), and a mask may be put there by hand; the signature then said "replaced"
and an Import Labels killed before its PNG made the model's mask EDITED, a person's.

An intent holds only for the entry it was written over (``from``: its status and ``updated`` then):
a release before intents reads the key as any unknown key of an entry, keeps it and writes it back
with each later state of the image (a review of the mask the killed run left); such an intent, met
under another state, is stale and dropped. Intents are no new kind of line, so the project's format
version stays: the release before reads them (and keeps the key), this one settles them at opening,
and the opening's fold into ``project.json`` drops them.

An import's intent says too whether the save is one of an import's (`IMPORTED_KEY`, ``imported_at``, the
time an import stamps its EDITED mask with, set after the save: `fosp_core.annotation.import_loop`):
``"imported": true`` gives the settled entry that key at its new ``updated``, false drops it (a model's
labels imported), absent leaves the entry's keys as they are; so an image settled from an intent is the
entry the import would have written (a second import replaces it as any import not touched since).

Which saves write one: those that change the image's status, a model's mask over a model's, and an
import's over a person's EDITED (``overwrite``, or an import not touched since), whose state - the new
smoke ratio and time, ``imported_at`` - a kill after the PNG would otherwise lose though its status
stays EDITED.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project_documents import smoke_ratio_of
from fosp_core.annotation.project_files import file_signature
from fosp_core.io.masks import MaskReadError, read_mask

__all__ = ["IMPORTED_KEY", "INTENT_KEY", "IntentTarget", "intent_noted", "mask_digest", "note_intent", "noted_for",
           "resolve_intents"]

#: the entry's key (kept in the journal as any unknown key) holding a mask save's intent
INTENT_KEY = "mask_intent"
#: the entry's key (kept in ``project.json`` as any unknown key) holding its ``updated`` at its import
#: (`fosp_core.annotation.import_loop`, which names it so too)
IMPORTED_KEY = "imported_at"


class IntentTarget(Protocol):
    """What an intent is written through (`fosp_core.annotation.project.Project`)."""

    def flush_image(self, image_id: str) -> None: ...

    def note_state(self, entry: ImageEntry, *, durable: bool = False) -> bool: ...


def note_intent(project: IntentTarget, entry: ImageEntry, path: Path, mask: np.ndarray, status: Status, *,
                imported: bool | None = None) -> None:
    """Journal `entry` (its state once its background saves are taken: a commit shows its status in
    memory before its recovery log is fsynced, and this line is) with the intent of a save of `mask` at
    `path` giving it `status` (see module doc), when `status` changes it, or when a model's mask replaces a
    model's (PREDICTED over PREDICTED: Pre-label's ``replace_predicted``, a model's labels imported again,
    whose new smoke ratio and time a kill after the PNG would otherwise lose), or when `imported` is given
    (an import's save, EDITED over EDITED too: True, the entry takes `IMPORTED_KEY` at its new time; False,
    it loses it); the entry in memory holds no intent after (the save's own line, or its failure, says the
    rest). A journal that cannot be written is no reason to stop the save (`note_state`: the line is only
    insurance against a kill)."""
    if status == entry.status and status != Status.PREDICTED and imported is None:
        return
    project.flush_image(entry.id)  # first, as the save does: the entry in memory may run ahead of a log not yet durable
    intent = {"status": status.value, "updated": time.time(), "size": [int(mask.shape[0]), int(mask.shape[1])],
              "smoke_ratio": smoke_ratio_of(mask), "over": _as_list(file_signature(path)),
              "mask": mask_digest(mask), "from": [entry.status.value, entry.updated]}
    if imported is not None:
        intent["imported"] = imported
    entry.extra[INTENT_KEY] = intent
    try:
        project.note_state(entry, durable=True)  # before a durable PNG: a power loss keeps it too
    finally:
        entry.extra.pop(INTENT_KEY, None)


_NOTED = threading.local()  # the entry whose save's intent its caller journalled (`intent_noted`)


@contextlib.contextmanager
def intent_noted(entry: ImageEntry) -> Iterator[None]:
    """Within: the save of `entry` on this thread (`fosp_core.annotation.mask_writes.save_mask`) journals no
    intent of its own, its caller's (`note_intent`, with an import's stamp) being journalled already."""
    before = getattr(_NOTED, "entry", None)
    _NOTED.entry = entry
    try:
        yield
    finally:
        _NOTED.entry = before


def noted_for(entry: ImageEntry) -> bool:
    """Whether the save of `entry` runs within its caller's `intent_noted`."""
    return getattr(_NOTED, "entry", None) is entry


def resolve_intents(entries: Iterable[ImageEntry], mask_path: Callable[[str], Path]) -> list[str]:
    """Settle every intent a save left in `entries` (see module doc): the new state where the mask file
    was replaced, the old one where it was not; the intent key is dropped either way. Returns the ids
    of the images that took an intent's state (their mask was written, their state was not), in order.
    An intent that cannot be read is dropped (the entry as it was)."""
    taken = []
    for entry in entries:
        intent = entry.extra.pop(INTENT_KEY, None)
        if intent is None:
            continue
        try:
            status = Status(intent["status"])
            over, digest, was = intent["over"], str(intent["mask"]), list(intent["from"])
            state = (float(intent["updated"]), (int(intent["size"][0]), int(intent["size"][1])),
                     None if intent["smoke_ratio"] is None else float(intent["smoke_ratio"]))
            imported = intent.get("imported")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue
        if was != [entry.status.value, entry.updated]:
            continue  # a later state kept the key (a release before intents): not this save's
        path = mask_path(entry.id)
        now = _as_list(file_signature(path))
        if now is None or now == over or not _holds(path, digest):
            continue  # the save never replaced the file: untouched
        entry.status = status
        entry.updated, entry.size, entry.smoke_ratio = state
        if imported is True:
            entry.extra[IMPORTED_KEY] = entry.updated  # as the import stamps it after its save
        elif imported is False:
            entry.extra.pop(IMPORTED_KEY, None)
        taken.append(entry.id)
    return taken


def mask_digest(mask: np.ndarray) -> str:
    """A digest of `mask` as its PNG reads back (uint8 values and shape): what an intent's save writes."""
    data = np.ascontiguousarray(mask, dtype=np.uint8)
    digest = hashlib.sha1(repr(data.shape).encode(), usedforsecurity=False)  # not a secret: the fastest at hand
    digest.update(data.data)  # the array's own buffer, no copy (a 48 MP mask: ~0.1 s)
    return digest.hexdigest()


def _holds(path: Path, digest: str) -> bool:
    """Whether the mask file at `path` holds the mask of `digest` (False when it cannot be read)."""
    try:
        return mask_digest(read_mask(path)) == digest
    except (MaskReadError, OSError, ValueError):
        return False


def _as_list(signature: tuple[int, int, int] | None) -> list[int] | None:
    return None if signature is None else [int(v) for v in signature]
