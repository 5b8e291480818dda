"""The worklist's Sort by choices and its note under the list: why it lists nothing (nothing open, or the Show
choice hides every row) or why the sort did nothing (no image listed has its value yet). Moved out of
`worklist_panel` (s37), unchanged."""

from __future__ import annotations

from app.annotation import worklist_shows as shows

__all__ = ["SORTS", "SORT_NEEDS", "empty_note_words"]

#: the Sort by box's choices: (its text, `fosp_core.annotation.worklist.sort_entries`'s key)
SORTS = [("Name", "name"), ("Model uncertainty", "uncertainty"), ("Smoke size", "smoke_size"),
         ("Error vs label", "error")]
#: sort key -> (what no image listed has yet, what gives it): the note when that sort can do nothing
SORT_NEEDS = {"uncertainty": ("a model uncertainty", "run the model on the images (Run on All Images)"),
              "smoke_size": ("a smoke size", "a mask or a model run gives one"),
              "error": ("an error vs label", "it needs a model run on images with a ground-truth label")}


def empty_note_words(entries: int | None, opened: int, rows: int, show_at: int, stored: shows.LabelCounts,
                     unsorted: str | None) -> str:
    """The note under the list ("" none). `entries`: how many images the project listed has (None: no project);
    `opened`: how many images the session has; `rows`: how many the list shows; `show_at`: the Show choice
    (`shows.SHOWS`' index); `stored`: the project's stored counts; `unsorted`: the sort key chosen when no row
    listed has its value (None when it has)."""
    if entries is None:
        return "Open a folder or a dataset to list its images here, each with its status." if opened == 0 else ""
    show = shows.SHOWS[show_at]
    if rows == 0 and entries:
        return (f"No image to show with Show: {show.text} ({entries} in the project). Show: All images lists every "
                "one." + shows.unlabelled_note(show, stored))
    if unsorted is not None:  # the sort did nothing: say why
        what, how = SORT_NEEDS[unsorted]
        return f"No image listed has {what} yet ({how}): listed in the project's order."
    return ""
