"""The saved mask a command starts the shown image or frame from, read off the GUI thread: Copy Previous
Image's Mask (`app.annotation.commands.copy_previous_mask`) and the video's Carry
(`app.video.frame_editing.FrameEditing.carry`).

Both decoded the previous image's (or frame's) mask PNG on the GUI thread: ~100 ms at 4000x3000, and for
ever on a disk that stopped answering. Copy Previous takes the mask of the previous image's open document
when it has one (visited lately: what it shows, saved or being saved, :func:`open_mask`); otherwise, and
for a frame, the mask is read on a daemon thread (:class:`MaskReads`), the GUI thread waiting for it
`READ_WAIT_S` at most. A read not done by then goes on: the command says so in the status bar
(:func:`not_answered`) and changes nothing; asked again, it takes that read's answer if it has come
meanwhile, or waits for it again, never starting a second read beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.document_arrays import Status
from fosp_core.annotation.recent import RecentDocuments

__all__ = ["READ_WAIT_S", "SAVED_MASKS", "DocumentsAtHand", "MaskRead", "MaskReads", "not_answered", "open_mask"]

#: The longest the GUI thread waits for a mask read on the worker (a 4000x3000 mask decodes in ~100 ms;
#: twice that on a busy 2-core machine): past it the command says the disk has not answered.
READ_WAIT_S = 0.5


@dataclass(frozen=True)
class MaskRead:
    """A read's answer: the `mask` (None: none saved), the `error` that stopped it, or `waiting`: no answer
    within the wait (the read goes on)."""

    mask: np.ndarray | None = None
    error: Exception | None = None
    waiting: bool = False


@dataclass
class _Run:
    done: threading.Event = field(default_factory=threading.Event)
    mask: np.ndarray | None = None
    error: Exception | None = None


class MaskReads:
    """Mask reads by key, each on a daemon thread of its own (nothing waits for one at exit). Used on the
    GUI thread only; the threads only fill their own run."""

    def __init__(self) -> None:
        self._runs: dict[Hashable, _Run] = {}

    def read(self, key: Hashable, load: Callable[[], np.ndarray | None], wait_s: float = READ_WAIT_S) -> MaskRead:
        """`load()`'s answer for `key`, waited for `wait_s` at most: from the read of `key` still under way
        (or ended since it was last asked) if there is one, else from a new read."""
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = _Run()
            threading.Thread(target=_load, args=(run, load), name="fosp-mask-read", daemon=True).start()
        if not run.done.wait(wait_s):
            return MaskRead(waiting=True)
        del self._runs[key]
        return MaskRead(run.mask, run.error)

    def forget(self, key: Hashable) -> None:
        """Drop the answer of `key`'s read, come or to come (its mask is known otherwise now)."""
        self._runs.pop(key, None)

    def under_way(self, key: Hashable) -> bool:
        """Whether `key`'s read has not answered yet."""
        run = self._runs.get(key)
        return run is not None and not run.done.is_set()


def _load(run: _Run, load: Callable[[], np.ndarray | None]) -> None:
    try:
        run.mask = load()
    except Exception as exc:  # told by the command (never let a worker die silently)
        run.error = exc
    finally:
        run.done.set()


#: The window's mask reads (keys name the project folder or the video's mask folder: never shared by two).
SAVED_MASKS = MaskReads()


class DocumentsAtHand(Protocol):
    """The images' open documents (`app.annotation.open_documents.OpenDocuments`): kept from a recent visit,
    or held with edits not saved, by (project folder, image id)."""

    held: dict[tuple[Path, str], AnnotationDocument]
    recent: RecentDocuments[tuple[Path, str]]


def open_mask(documents: DocumentsAtHand, folder: Path, image_id: str) -> tuple[bool, np.ndarray | None]:
    """Whether `image_id` of the project in `folder` has an open document, and a copy of its mask as its saved
    mask: None when it has none (never labelled, nothing drawn: what `Project.load_mask` says of an image
    with no mask file). Reads no file."""
    key = (folder, image_id)
    doc = documents.held.get(key)
    if doc is None:
        doc = dict(documents.recent.items()).get(key)
    if doc is None:
        return False, None
    if doc.status == Status.UNLABELED and not doc.mask.any():
        return True, None
    return True, np.array(doc.mask)


def not_answered(what: str, command: str) -> str:
    """What a command says when the disk has not answered within `READ_WAIT_S` (`what`: "the mask of
    img_002.png")."""
    return (f"{command}: nothing done yet — the disk has not given {what} in {READ_WAIT_S:g} s (a network share "
            "or disk not answering?). It is still being read: press again to use it once it has come")
