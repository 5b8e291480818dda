"""A path typed in the home folder of a user who is not here (``~nosuchuser/photos``, for
``~/nosuchuser/photos``): a shell leaves such a word as typed, and `Path.expanduser` raises Python's
"Could not determine home directory." RuntimeError for it. :func:`expanded` keeps it as typed;
:func:`no_home_text` says why it names nothing, in the words the app's dialogs, its open and the
command line share. Reads nothing; plain Python.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["expanded", "no_home_text"]


def expanded(raw: str | os.PathLike[str]) -> Path:
    """`raw` with a leading ``~`` or ``~user`` read as the home folder; as typed when that home is not here."""
    path = Path(raw)
    try:
        return path.expanduser()
    except RuntimeError:  # "~nosuchuser/x", or "~" with no home known: told by no_home_text
        return path


def no_home_text(typed: str | os.PathLike[str], what: str = "", *, browse: bool = False) -> str:
    """Why `typed` names nothing here when it starts with the home folder of a user who does not exist (or
    ``~`` when no home folder is known), in plain words; "" else. `what`: what the path is for ("dataset
    folder": "The dataset folder ~x/a starts with ...", none: "~x/a starts with ..."); `browse`: the form
    has a Browse… button to name."""
    text = os.fspath(typed).strip()
    try:
        Path(text).expanduser()
        return ""
    except RuntimeError:
        home, _, rest = text.partition("/")
    subject = f"The {what} {text}" if what else text
    if home == "~":  # one's own home, and no HOME to say where it is
        return f"{subject} starts with ~, your home folder, which cannot be found here: type its whole path."
    user = home[1:]
    return (f"{subject} starts with {home}, the home folder of a user {user}, which does not exist here: type its "
            f"whole path (e.g. ~/{user}{'/' if rest else ''}{rest}){' or press Browse…' if browse else ''}")
