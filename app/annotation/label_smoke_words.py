"""What R and Delete say of a "dataset label only" image whose dataset label shows smoke.

An image of a SmokeSeg or SMOKE5K dataset whose label (``SegmentationClass/``, ``gt/``) was not brought in has an
empty project mask (`app.annotation.status_words.dataset_label_only`). R on it said "reviewed with no smoke in its
mask: exported as a smoke-free image", and Delete "now smoke-free, status edited": when the label shows smoke, the
annotator was about to export a smoke-free image against the ground truth, and nothing named the label. Those
commands now say so and point to Import Labels… (`REVIEWED_AGAINST_LABEL`, `CLEARED_AGAINST_LABEL`).

Whether the label holds smoke is never read on the GUI thread: :class:`LabelSmoke` reads the label file on a daemon
thread of its own (one per label asked, rare: an R or Delete on such an image; a share that never answers holds
nothing, not even the exit) and keeps the answer by the label's path. The command says its usual words at once;
when the answer comes with smoke, the words are said again with the label's, unless the image changed meanwhile
(`LabelSmoke.tell`'s `still`). An answer known already (asked before) is said at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.relay import ValueRelay
from fosp_core.data.types import SMOKE
from fosp_core.io.masks import read_mask

__all__ = ["CLEARED_AGAINST_LABEL", "KNOWN_MAX", "REVIEWED_AGAINST_LABEL", "LabelSmoke", "label_folder", "label_holds_smoke"]

#: R on a dataset-label-only image whose label shows smoke (its mask holds none: the review is of a smoke-free image)
REVIEWED_AGAINST_LABEL = ("{image}: reviewed with no smoke in its mask, though its {folder} label shows smoke: exported "
                          "as a smoke-free image; Annotate ▸ Import Labels… brings the label in to edit (Undo, or R "
                          "again, takes the review back)")
#: Delete (Clear Mask) on such an image: its empty mask recorded as the person's smoke-free (status edited)
CLEARED_AGAINST_LABEL = ("Clear mask: done; {image} is now smoke-free, status edited, though its {folder} label shows "
                         "smoke: Annotate ▸ Import Labels… brings the label in to edit (Undo takes it back)")
#: How many answers are kept (a bool each, by the label's path: a 30 000-image dataset's are a few MB)
KNOWN_MAX = 100_000
_ROWS_PER_LOOK = 256


def label_folder(label: str | None) -> str:
    """The folder of a dataset label named by an entry's ``label`` ("SegmentationClass/img.png" ->
    "SegmentationClass", as `app.annotation.opening_notes.labels_waiting` names it); "dataset" for none."""
    head = (label or "").partition("/")[0]
    return head if head and head != label else "dataset"


def label_holds_smoke(path: str | os.PathLike[str]) -> bool | None:
    """Whether the label file at `path` (uint8 0/1/255) has a smoke pixel; None when it cannot be read. Reads the
    file: never call it on the GUI thread."""
    try:
        label = read_mask(Path(path))
    except Exception:  # noqa: BLE001 - unreadable, gone, not a mask: nothing to say of it
        return None
    if label is None:
        return None
    label = np.asarray(label)
    return any(bool((label[top:top + _ROWS_PER_LOOK] == SMOKE).any()) for top in range(0, label.shape[0], _ROWS_PER_LOOK))


class LabelSmoke(QObject):
    """Answers, off the GUI thread, whether a dataset label shows smoke (see module doc). Used on the GUI thread;
    `answered(path, smoke)` is emitted there as each read's answer comes (smoke None: unreadable)."""

    answered = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._known: dict[str, bool] = {}
        self._waiting: dict[str, list[Callable[[bool], None]]] = {}
        self._relay = ValueRelay()  # parentless: the threads emit on it (app.relay)
        self._relay.done.connect(self._on_answer)

    def known(self, path: str) -> bool | None:
        """The answer for the label at `path` when it came already, else None (nothing read)."""
        return self._known.get(path)

    def tell(self, path: str, say: Callable[[], None], still: Callable[[], bool]) -> bool | None:
        """Whether the label at `path` shows smoke when known (True: the caller says the label's words at once);
        else None: a read is started (or joined) and `say()` is called when it answers with smoke and `still()`
        (the image as the command left it) holds then."""
        answer = self._known.get(path)
        if answer is not None:
            return answer
        waiting = self._waiting.get(path)
        if waiting is None:
            waiting = self._waiting[path] = []
            relay = self._relay
            threading.Thread(target=lambda: relay.done.emit((path, label_holds_smoke(path))),
                             name="fosp-label-smoke", daemon=True).start()
        waiting.append(lambda smoke: say() if smoke and still() else None)
        return None

    def _on_answer(self, answer: tuple[str, bool | None]) -> None:
        path, smoke = answer
        if smoke is not None:
            if len(self._known) >= KNOWN_MAX:
                self._known.pop(next(iter(self._known)))
            self._known[path] = smoke
        for then in self._waiting.pop(path, []):
            then(bool(smoke))
        self.answered.emit(path, smoke)
