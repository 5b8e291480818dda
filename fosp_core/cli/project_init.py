"""``fosp project init PATH``: make the annotation project of an images folder or a SmokeSeg / SMOKE5K
dataset without the app, as the app's first opening of that folder makes it.

The folder is listed as the app's open lists it (`fosp_core.session.collect_image_paths`: a dataset's
``JPEGImages/`` or ``img/`` folders; file names that are not valid UTF-8 left out, each named) and the
project is made from that listing by the app's own opening (`fosp_core.annotation.source_opening.open_source`):
in ``PATH/.fosp``, or in the user cache for a folder that may not be written and for the images shipped
with the app (`fosp_core.annotation.project_files.default_location`). It prints where the project lives
and how many images it holds.

A project there already (or made by another process while the folder was listed) is opened as the app's
opening opens it (`open_source` with the folder's listing): the images put in the folder (a dataset's images
folders) since are added ("2 new images added"; nothing said when none, or when another process holds the project: its opening adds
them), an older version's files upgraded, a crash's recovery logs applied, each said as the other ``fosp
project`` commands say it, with who holds it when another process does. Exit codes: 0 made, or there
already; 2 a missing path, a file, a folder with no images; 1 the project cannot be made (its location
cannot be written) or the one there cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli.exit_codes import ExitCode, fail
from fosp_core.cli.project_opening import init_command, missing_path

if TYPE_CHECKING:  # imported where used: the annotation package loads numpy and OpenCV, not needed by --help
    from fosp_core.annotation.entries import ImageEntry
    from fosp_core.annotation.project import Project
    from fosp_core.open_paths import OpenError

__all__ = ["add_init", "init_command"]


def add_init(sub: argparse._SubParsersAction) -> None:
    """Add ``init`` to the ``fosp project`` subcommands."""
    init = sub.add_parser("init", help="make the project of an images folder or dataset, as the app's first "
                                       "opening does (without a display); one there already is opened as the app opens it, the "
                                       "images put in the folder since added")
    init.add_argument("path", metavar="PATH", help="images folder or SmokeSeg / SMOKE5K dataset")
    init.set_defaults(func=_init)


def _init(args: argparse.Namespace) -> int:
    from fosp_core.annotation.project import PROJECT_FILE, default_location
    from fosp_core.annotation.source_choice import folder_source

    if (code := missing_path(args.path)) is not None:
        return code
    given = Path(args.path).expanduser()
    if not given.is_dir():
        return fail(f"{args.path}: not a folder; a project is made for a whole folder of images or a dataset: "
                    f"{init_command(os.fspath(given.parent))}", ExitCode.USAGE)
    # as the app's open: the folder itself (a SmokeSeg dataset's JPEGImages/: the dataset), its links resolved
    source = folder_source(given).resolve()
    where = source if os.path.lexists(source / PROJECT_FILE) else default_location(source)
    if os.path.lexists(where / PROJECT_FILE):
        return _open_existing(source, where)
    return _make(args.path if source == given.resolve() else f"the dataset of {args.path}", source, where)


def _listing(source: Path, warn: bool) -> tuple[list[Path], list[Path], list[OpenError]]:
    """(the image files of `source` as the app's open lists them, valid UTF-8 names only; all it found; the
    open's errors), the names left out said on stderr when `warn`."""
    from fosp_core import session
    from fosp_core.annotation.source_opening import is_utf8

    gifs: list[Path] = []
    found, errors = session.collect_image_paths([source], gifs=gifs)
    if warn and gifs:
        from fosp_core.cli.predict_paths import gifs_by_folder, gifs_not_in_project

        for folder, left_out in gifs_by_folder(gifs).items():
            print(gifs_not_in_project(folder, left_out), file=sys.stderr)
    kept = [path for path in found if is_utf8(path.name)]  # the app's open leaves them out too, each named
    for path in found if warn else []:
        if not is_utf8(path.name):
            name = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            print(f"warning: {path.parent / name}: the file name is not valid UTF-8; rename the file to annotate it",
                  file=sys.stderr)
    return kept, found, errors


def _make(shown: str, source: Path, where: Path) -> int:
    """List `source` as the app's open does and make its project at `where` from that listing; one made by
    another process meanwhile (while the folder was listed) is opened as one there already."""
    import time

    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project import PROJECT_FILE
    from fosp_core.annotation.source_opening import open_source

    kept, found, errors = _listing(source, warn=True)
    for error in errors if kept else []:  # left out of the project (a link leading nowhere, ...), the rest made
        print(f"warning: {error.path}: {error.reason}", file=sys.stderr)
    if not kept:
        reasons = "; ".join(dict.fromkeys(error.reason for error in errors)) or "no images in this folder"
        if found:
            reasons = "no image whose file name is valid UTF-8 (rename the files to annotate them)"
        return fail(f"{shown}: {reasons}: no project made", ExitCode.USAGE)
    if os.path.lexists(where / PROJECT_FILE):  # made by another process while the folder was listed
        return _open_existing(source, where, kept)
    started = time.time()
    try:
        project = open_source(source, None, [os.fspath(path) for path in kept])
    except ProjectError as exc:
        return fail(str(exc), ExitCode.FAILED)
    try:
        if _made_before(project.header, started):  # another process's, made in the instant before ours
            _say_existing(project)
            return ExitCode.OK
        print(f"made the annotation project of {shown}: {project.folder}{_location_words(source, project.folder)}")
        print(f"  {_images_words(project.header, project.entries)} in {project.images_root}")
        if project.locked_by is not None:  # another process opened it right after
            print(f"note: {project.locked_by.describe()}")
    finally:
        project.close()
    return ExitCode.OK


def _made_before(header: dict, started: float) -> bool:
    """Whether the project `header` tells of was made before `started` (a `time.time()`): not by this opening."""
    created = header.get("created")
    return isinstance(created, int | float) and created < started


def _open_existing(source: Path, folder: Path, listed: list[Path] | None = None) -> int:
    """Open the project at `folder` as the app's opening does (`open_source` with the listing of its images
    folder: `listed`, else listed here) and say what it holds, the images it added, and who holds it."""
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project_open import read_files
    from fosp_core.annotation.source_opening import open_source

    try:
        if folder == source:  # the project folder itself was named: its images folder is in its header
            header, _entries = read_files(folder)
            root = Path(header["images_root"])
            source = root if root.is_absolute() else (folder / root).resolve()
            listed = None
        if listed is None:
            listed = _listing(source, warn=False)[0] if source.is_dir() else []
        project = open_source(source, folder, [os.fspath(path) for path in listed])
    except ProjectError as exc:
        return fail(str(exc), ExitCode.FAILED)
    try:
        _say_existing(project)
    finally:
        project.close()
    return ExitCode.OK


def _say_existing(project: Project) -> None:
    """"already an annotation project: FOLDER" with the images the opening added ("; 2 new images added": written
    only when it holds the project), what it holds, and the notes of the opening (`opening_notes`)."""
    from fosp_core.cli.project_opening import opening_notes

    added = len(project.listing.added) if not project.read_only else 0
    more = f"; {added} new image{'' if added == 1 else 's'} added" if added else ""
    entries = [e for e in project.entries if added or e.id not in project.listing.added]  # read-only: as stored
    print(f"already an annotation project: {project.folder}{more}")
    print(f"  {_images_words(project.header, entries)} in {project.images_root}")
    if project.locked_by is not None:
        print(f"note: {project.locked_by.describe()}")
    elif project.read_only and project.read_only_reason is not None:
        print(f"note: {project.read_only_reason}: it opens read-only")
    opening_notes(project)


def _images_words(header: dict, entries: list[ImageEntry]) -> str:
    """"8 images" with what they are: a plain folder's, or a SmokeSeg or SMOKE5K dataset's with how many
    have a reference mask (which ``fosp project import PATH`` takes)."""
    source = header.get("source")
    kind = source.get("kind") if isinstance(source, dict) else None
    count = f"{len(entries)} image{'' if len(entries) == 1 else 's'}"
    name = {"smokeseg": "SmokeSeg", "smoke5k": "SMOKE5K"}.get(kind or "")
    if name is None:
        return count
    labelled = sum(entry.label is not None for entry in entries)
    return f"{count} ({name} dataset, {labelled} with a reference mask)"


def _location_words(source: Path, folder: Path) -> str:
    """Why the project is not beside the images, or "" when it is (``source/.fosp``)."""
    from fosp_core.annotation.project_files import PROJECT_DIR
    from fosp_core.paths import RESOURCES

    if folder == source / PROJECT_DIR:
        return ""
    if source == RESOURCES or RESOURCES in source.parents:
        return " (in the user cache: images shipped with FoSp Studio are never written)"
    return " (in the user cache: the folder may not be written)"
