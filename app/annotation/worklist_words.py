"""What Next / Previous Unreviewed (N, Shift+N) say in the status bar (`WorklistPanel.step_unreviewed`): going
round the worklist's order (session 34), and finding no other image to review - "Every image is reviewed" only
when it is true (s36 working-day review: it was said with the image shown still to review, and with images of
another folder opened beside it not reviewed; the worklist lists the project of the image shown only)."""

from __future__ import annotations

from collections.abc import Sequence

from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project

__all__ = ["ROUND_MS", "WENT_ROUND", "nothing_left_words", "went_round"]

#: What N / Shift+N say when they go round the worklist's order (past its last image to its first, or back).
WENT_ROUND = {1: "Next Unreviewed: back at the start of the worklist (no image to review after the last one)",
              -1: "Previous Unreviewed: round to the end of the worklist (no image to review before the first one)"}
#: how long WENT_ROUND stays in the status bar (ms); a step within the worklist in that time takes it away: it
#: would tell that step went round too (s36 working-day review)
ROUND_MS = 4000


def went_round(order: list[ImageEntry], current: str, target: str, step: int,
               positions: dict[str, int] | None = None) -> bool:
    """Whether stepping `step` from `current` to `target` in `order` went past its end (or start);
    `positions`: {id: place in `order`} when kept (no pass over a big project's entries)."""
    if positions is None:
        positions = {entry.id: i for i, entry in enumerate(order) if entry.id in (current, target)}
    if current not in positions or target not in positions:
        return False
    return (positions[target] - positions[current]) * step < 0


def nothing_left_words(shown: str | None, doc: AnnotationDocument | None, others: Sequence[Project],
                       name_filter: str = "") -> str:
    """What N says when it finds no other image to review. `shown`: the worklist's Show choice when it lists
    some statuses only (None: all); `doc`: the image shown; `others`: the other projects open (folders opened
    with it), whose images the worklist does not list; `name_filter`: the Images list's (Ctrl+F), which N
    keeps to as to Show ("" none)."""
    if name_filter:
        among = f'name filter "{name_filter}"' if shown is None else f'Show: {shown}, name filter "{name_filter}"'
        return (f"No other image to review among those shown ({among}): "
                "to go on with the others, clear the name filter (Ctrl+F, then Esc)")
    if shown is not None:
        return f"No other image to review among those shown (Show: {shown})"
    if doc is not None and doc.status != Status.REVIEWED:
        return f"No other image to review: {doc.image_id} is the last one not reviewed (R marks it reviewed)"
    left = sum(entry.status != Status.REVIEWED for project in others for entry in project.entries)
    if left:
        images = "1 image" if left == 1 else f"{left} images"
        return (f"Every image of this worklist is reviewed, but not {images} of the other folders opened: "
                "choose one in the Images list (the worklist lists the project of the image shown)")
    return "Every image is reviewed"
