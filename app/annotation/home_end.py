"""Home / End in image mode (Annotate ▸ First Image / Last Image): the first / last image of the worklist
as it shows them (its sort, its Show filter and the Images list's name filter, Ctrl+F), as other viewers'
Home / End go to the first / last image; with no project listed, the session's first / last the name filter
lists (s37: both went past the name filter, which N and PgDown keep to). A text field with the focus keeps the keys (Qt:
its ``ShortcutOverride``), and so do a slider, a list and a drop-down (:mod:`app.arrows_stay`); with a
video open they are its First / Last Frame (:class:`app.video.chrome.ModeSwitch` turns these off)."""

from __future__ import annotations

from typing import Protocol

from app.annotation.worklist_panel import WorklistPanel

__all__ = ["go_to_end"]


class _Session(Protocol):
    def visible_count(self) -> int: ...

    def visible_at(self, row: int) -> int: ...

    def set_current(self, index: int) -> None: ...


def go_to_end(worklist: WorklistPanel, session: _Session, last: bool) -> bool:
    """Make the worklist's first (`last` False) or last shown image current; False when there is none
    (a Show filter or a name filter that lists nothing: the image stays)."""
    if worklist.project is not None:
        rows = worklist.shown()
        return bool(rows) and worklist.go_to(rows[-1 if last else 0].id)
    count = session.visible_count()
    if count == 0:
        return False
    session.set_current(session.visible_at(count - 1 if last else 0))
    return True
