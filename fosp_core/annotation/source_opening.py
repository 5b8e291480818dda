"""Opening the project of a source folder as an open of that folder does: the one path the app
(`app.annotation.projects.prepare_projects`, on its open's worker) and ``fosp project init``
(`fosp_core.cli.project_init`) both take, so the project a command line makes is the app's.

`open_source` creates or reopens the project of a plain folder of images or a SmokeSeg / SMOKE5K dataset
from the open's listing of it (or lists it once itself), leaving out the file names the project file
cannot hold (`utf8_only`: not valid UTF-8) and refusing a new project when none is left.

`image_source` says which folder's project an image opened alone belongs to: its dataset's for an image of a
SmokeSeg ``JPEGImages/`` or of a SMOKE5K ``img/`` (`fosp_core.annotation.source_choice`), else its folder's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from fosp_core.annotation.project import PROJECT_FILE, Project, ProjectError, default_location
from fosp_core.annotation.source_choice import Location, image_source
from fosp_core.io.image_files import list_image_names

__all__ = ["RENAME", "Location", "image_source", "is_utf8", "new_listing", "open_source", "utf8_only"]

#: What to do about a file whose name is not valid UTF-8 (the project file, UTF-8 JSON, cannot name it).
RENAME = "rename the file to annotate it"


def is_utf8(text: str) -> bool:
    """Whether the file name or path `text` is valid UTF-8 (a name of other bytes - a Latin-1
    'caf\\xe9.png' on Linux - holds surrogate escapes, which the project file cannot hold)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def utf8_only(texts: Iterable[str]) -> list[str]:
    """The paths (text) of `texts` that are valid UTF-8, in order (:func:`is_utf8`)."""
    return [text for text in texts if is_utf8(text)]


def new_listing(source: Path) -> list[str] | None:
    """The image files of `source` (paths as text, unresolved), listed here once for a new project
    instead of by the project itself, which would keep the names it cannot write (a plain folder's
    project is made from it; a dataset's ignores it). None when the folder cannot be listed: the
    project says why."""
    try:
        names = list_image_names(source)
    except OSError:
        return None
    folder = os.fspath(source)
    return [os.path.join(folder, name) for name in names]


def open_source(source: Path, location: Path | None, listed: Sequence[str] | None) -> Project:
    """Create or reopen the project of the folder `source` (at `location`, None: `default_location`).

    listed: every image file the open found in `source` (paths as text, in listing order:
    ``collect_image_paths([source])``'s), which a new project is made from; None: the folder is listed
    here (`new_listing`). Names that are not valid UTF-8 are left out; raises ProjectError when a new
    project would be left with none of its images, or cannot be made or opened."""
    raw = list(listed) if listed is not None else new_listing(source)
    images = None if raw is None else utf8_only(raw)
    try:  # `_is_new` too: a read-only folder's cache project is named by its path's UTF-8 (`default_location`)
        if raw and not images and (listed is not None or _is_new(source, location)):
            raise ProjectError(source, "the image file names here are not valid UTF-8; rename the files to annotate them")
        return Project.open(source, location, images=images)
    except UnicodeEncodeError:  # a dataset's own listing (its JPEGImages/): not made from `images`; a path not UTF-8
        raise ProjectError(source, f"a file name in it is not valid UTF-8; {RENAME}") from None


def _is_new(source: Path, location: Path | None) -> bool:
    """Whether ``Project.open(source, location)`` would create the project (as it decides)."""
    if location is None and (source / PROJECT_FILE).is_file():
        return False
    folder = Path(location) if location is not None else default_location(source)
    return not (folder / PROJECT_FILE).is_file()
