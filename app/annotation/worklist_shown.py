"""The worklist panel's parts that show its rows (the model, the list, the counts, the notes), read through
`ShownPart`: a read first does the refresh the panel was asked for this turn (`WorklistPanel.refresh_later`),
so that what they show is the project as it is now, for code that reads them before the turn is over (Qt's
painting reads the model in C++, not through this). Moved out of `worklist_panel` (s37), unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

__all__ = ["ShownPart", "install_shown"]


class ShownPart:
    """One such part: read, the refresh due this turn is done first (see module doc)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._attr = f"_{name}"

    def __get__(self, panel: QWidget | None, owner: type | None = None):  # noqa: ANN204
        if panel is None:
            return self
        timer = panel.__dict__.get("_refresh_timer")
        if timer is not None and timer.isActive():
            panel.refresh()  # type: ignore[attr-defined]
        return panel.__dict__[self._attr]

    def __set__(self, panel: QWidget, value: object) -> None:
        panel.__dict__[self._attr] = value


def install_shown(owner: type, parts: Iterable[str]) -> None:
    """Make each of `parts` an attribute of `owner` read through a `ShownPart` (set after the class body:
    `list` in it would shadow the builtin)."""
    for part in parts:
        shown = ShownPart()
        shown.__set_name__(owner, part)
        setattr(owner, part, shown)
