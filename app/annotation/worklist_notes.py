"""The worklist's Sort by choices and its notes: under the list, why it lists nothing (nothing open, the Show
choice or the Images list's name filter hides every row) or why the sort did nothing (no image listed has its
value yet); above it, while the name filter (Ctrl+F) is set, how many images it lets through ("2 of 4 shown,
name filter "Fire""), as the list then shows those only (s37: it listed every name, while N, PgDown and
Home / End kept to the filter)."""

from __future__ import annotations

from app.annotation import worklist_shows as shows

__all__ = ["CLEAR_NAME_FILTER", "SORTS", "SORT_NEEDS", "empty_note_words", "name_note_words"]

#: how to clear the name filter: Esc clears it in its box only
CLEAR_NAME_FILTER = "Ctrl+F, then Esc"

#: the Sort by box's choices: (its text, `fosp_core.annotation.worklist.sort_entries`'s key)
SORTS = [("Name", "name"), ("Model uncertainty", "uncertainty"), ("Smoke size", "smoke_size"),
         ("Error vs label", "error")]
#: sort key -> (what no image listed has yet, what gives it): the note when that sort can do nothing
SORT_NEEDS = {"uncertainty": ("a model uncertainty", "run the model on the images (Run on All Images)"),
              "smoke_size": ("a smoke size", "a mask or a model run gives one"),
              "error": ("an error vs label", "it needs a model run on images with a ground-truth label")}


def empty_note_words(entries: int | None, opened: int, rows: int, show_at: int, stored: shows.LabelCounts,
                     unsorted: str | None, name_filter: str = "") -> str:
    """The note under the list ("" none). `entries`: how many images the project listed has (None: no project);
    `opened`: how many images the session has; `rows`: how many the list shows; `show_at`: the Show choice
    (`shows.SHOWS`' index); `stored`: the project's stored counts; `unsorted`: the sort key chosen when no row
    listed has its value (None when it has); `name_filter`: the Images list's ("" none)."""
    if entries is None:
        return "Open a folder or a dataset to list its images here, each with its status." if opened == 0 else ""
    show = shows.SHOWS[show_at]
    if rows == 0 and entries and name_filter:
        if show is shows.SHOWS[0]:  # All images
            return (f'No image name matches the name filter "{name_filter}" ({entries} in the project). To list '
                    f"every one, clear the filter: {CLEAR_NAME_FILTER}.")
        return (f'No image to show with Show: {show.text} and the name filter "{name_filter}" ({entries} in the '
                f"project). Show: All images and a cleared filter ({CLEAR_NAME_FILTER}) list every one.")
    if rows == 0 and entries:
        return (f"No image to show with Show: {show.text} ({entries} in the project). Show: All images lists every "
                "one." + shows.unlabelled_note(show, stored))
    if unsorted is not None:  # the sort did nothing: say why
        what, how = SORT_NEEDS[unsorted]
        return f"No image listed has {what} yet ({how}): listed in the project's order."
    return ""


def name_note_words(rows: int, entries: int, show_at: int, name_filter: str) -> str:
    """The note above the list while the name filter is set ("" when it is not): how many of the project's
    `entries` the list shows (`rows`), and by what; "" with no row too: the empty note says why then."""
    if not name_filter or rows == 0:
        return ""
    show = shows.SHOWS[show_at]
    also = "" if show is shows.SHOWS[0] else f", Show: {show.text}"  # not All images
    return f'{rows} of {entries} shown, name filter "{name_filter}"{also} (to list every one: {CLEAR_NAME_FILTER})'
