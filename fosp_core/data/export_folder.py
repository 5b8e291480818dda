"""What in a SmokeSeg export's destination is not an earlier export: the one rule every export follows before
replacing a folder.

A SmokeSeg export (`fosp_core.data.smokeseg.write_smokeseg`) with overwrite replaces its destination folder
whole. That is right for an earlier export (``JPEGImages``, ``SegmentationClass``, ``ImageSets``, and what a
file browser adds to any folder it shows: ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) and wrong for anything
else: a ``notes.txt``, a ``.git``, a folder of photos. `foreign_names` lists those; the writer refuses such a
folder, overwrite or not, and so every caller does: ``fosp project export``, ``fosp dataset convert``, ``fosp
dataset synth``, ``fosp video export`` (each ``--overwrite``: exit 1, nothing deleted), and the app's Export
dialogs (`app.annotation.export_worker.refusal_words`), which say it before exporting.

Only the folder's own names are looked at (one listing); what lies inside ``JPEGImages`` is taken as an
export's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

__all__ = ["EXPORT_NAMES", "NAMED", "foreign_names", "names_words", "refusal_reason"]

#: what a folder an export wrote holds, and what a file browser adds to any folder
EXPORT_NAMES = frozenset({"JPEGImages", "SegmentationClass", "ImageSets", ".DS_Store", "Thumbs.db", "desktop.ini"})

#: how many of the foreign names a refusal names (`names_words`)
NAMED = 3


def foreign_names(dst: str | os.PathLike[str]) -> list[str]:
    """The names in the folder `dst` that are not an earlier export's (not in `EXPORT_NAMES`), sorted; none when
    `dst` is not a folder (absent, a file). Raises OSError when the folder cannot be listed."""
    try:
        with os.scandir(dst) as entries:
            return sorted(entry.name for entry in entries if entry.name not in EXPORT_NAMES)
    except (FileNotFoundError, NotADirectoryError):
        return []


def names_words(names: Sequence[str], most: int = NAMED) -> str:
    """`names` as a refusal names them: the first `most`, then "and N more" ("a.txt, b.txt, c.txt and 2 more")."""
    shown = ", ".join(names[:most])
    return f"{shown} and {len(names) - most} more" if len(names) > most else shown


def refusal_reason(names: Sequence[str], overwrite: bool) -> str:
    """The writer's refusal of a destination holding `names` (`foreign_names`), after "DST: ": overwrite would
    delete them, so it is not offered. "overwrite=True / --overwrite" is said as "--overwrite" on the command
    line (`fosp_core.cli.in_cli_words`)."""
    held = f"holds files that are not an earlier export's (e.g. {names_words(names)})"
    if overwrite:
        return f"{held}, which overwrite=True / --overwrite would delete with the folder: nothing was replaced; " \
               "move them or choose another folder"
    return f"folder is not empty: it {held}; choose another folder (overwrite=True / --overwrite replaces only " \
           "an earlier export)"
