"""The image shown keeps its place in the worklist's order while it is shown (sorted by a number).

Sorted by smoke size, model uncertainty or error, the worklist sorted again after every edit: an edit of the
image shown changes its smoke size, and it jumped to another row at once. Going down a list sorted by smoke
size, an annotator who erased a false detection saw the image go to the bottom; Down on the last row did
nothing, and the same image came up again and again (s36 working-day review); N after it went "back at the
start". :class:`ShownPin` records, when an image becomes the one shown, the row it comes before (its
successor among the rows shown then); every order made while it is shown puts it back there
(:meth:`ShownPin.apply`). It takes its new place once another image is shown: the panel then sorts again
(:attr:`ShownPin.moved` says whether the pin held an image where the sort did not put it). Only the smoke
size changes with an edit (`PINNED_SORTS`): by name nothing moves, and the model's numbers (uncertainty, error
vs label) come with its results, which the worklist follows as they come.
"""

from __future__ import annotations

from fosp_core.annotation.entries import ImageEntry

__all__ = ["PINNED_SORTS", "ShownPin"]

#: the sort keys whose number an edit of the image shown changes (`fosp_core.annotation.worklist.sort_value`)
PINNED_SORTS = frozenset({"smoke_size"})


def _place(order: list[ImageEntry], image_id: str) -> int | None:
    return next((i for i, entry in enumerate(order) if entry.id == image_id), None)


class ShownPin:
    """(image shown, the id of the row after it then, or None when it was last); see module doc."""

    def __init__(self) -> None:
        self._pin: tuple[str, str | None] | None = None
        self.moved = False  #: an order was made with the image shown put back where the sort did not put it

    def take(self, rows: list[ImageEntry], row: int) -> None:
        """Pin the image of `rows[row]` (the rows shown, the image shown's row; -1: none shown, nothing
        pinned) before the row that follows it."""
        self._pin, self.moved = None, False
        if 0 <= row < len(rows):
            self._pin = (rows[row].id, rows[row + 1].id if row + 1 < len(rows) else None)

    def apply(self, order: list[ImageEntry], current: str | None) -> list[ImageEntry]:
        """`order` (a new list, changed in place) with the pinned image, when it is `current`, back before
        its successor (at the end when it had none, or where the sort put it when that one is gone)."""
        pin = self._pin
        if pin is None or current != pin[0] or (at := _place(order, current)) is None:
            return order
        entry = order.pop(at)
        to = len(order) if pin[1] is None else _place(order, pin[1])
        order.insert(at if to is None else to, entry)
        self.moved = self.moved or (to is not None and to != at)
        return order
