"""``fosp project init PATH``: make the annotation project of an images folder or a SmokeSeg / SMOKE5K
dataset without the app, as the app's first opening of that folder makes it.

The folder is listed as the app's open lists it (`fosp_core.session.collect_image_paths`: a dataset's
``JPEGImages/`` or ``img/`` folders; file names that are not valid UTF-8 left out, each named) and the
project is made from that listing by the app's own opening (`fosp_core.annotation.source_opening.open_source`):
in ``PATH/.fosp``, or in the user cache for a folder that may not be written and for the images shipped
with the app (`fosp_core.annotation.project_files.default_location`). It prints where the project lives
and how many images it holds.

A project there already is left as it is - read, never rewritten (its journal is not folded in, images
added to the folder since are not added: the app's next opening does that) - and said, with who holds
it when another process does (in the words of the other ``fosp project`` commands). Exit codes: 0
made, or there already; 2 a missing path, a file, a folder with no images; 1 the project cannot be
made (its location cannot be written) or the one there cannot be read.
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

__all__ = ["add_init", "init_command"]


def add_init(sub: argparse._SubParsersAction) -> None:
    """Add ``init`` to the ``fosp project`` subcommands."""
    init = sub.add_parser("init", help="make the project of an images folder or dataset, as the app's first "
                                       "opening does (without a display); one there already is left as it is")
    init.add_argument("path", metavar="PATH", help="images folder or SmokeSeg / SMOKE5K dataset")
    init.set_defaults(func=_init)


def _init(args: argparse.Namespace) -> int:
    from fosp_core.annotation.project import PROJECT_FILE, default_location

    if (code := missing_path(args.path)) is not None:
        return code
    given = Path(args.path).expanduser()
    if not given.is_dir():
        return fail(f"{args.path}: not a folder; a project is made for a whole folder of images or a dataset: "
                    f"{init_command(os.fspath(given.parent))}", ExitCode.USAGE)
    source = given.resolve()  # as the app's open: the folder itself, its links resolved
    where = source if os.path.lexists(source / PROJECT_FILE) else default_location(source)
    if os.path.lexists(where / PROJECT_FILE):
        return _there_already(where)
    return _make(args.path, source)


def _make(shown: str, source: Path) -> int:
    """List `source` as the app's open does and make its project from that listing."""
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.source_opening import is_utf8, open_source
    from fosp_core.session import collect_image_paths

    found, errors = collect_image_paths([source])
    kept = [path for path in found if is_utf8(path.name)]  # the app's open leaves them out too, each named
    for path in found:
        if not is_utf8(path.name):
            name = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            print(f"warning: {path.parent / name}: the file name is not valid UTF-8; rename the file to annotate it",
                  file=sys.stderr)
    for error in errors if kept else []:  # left out of the project (a link leading nowhere, ...), the rest made
        print(f"warning: {error.path}: {error.reason}", file=sys.stderr)
    if not kept:
        reasons = "; ".join(dict.fromkeys(error.reason for error in errors)) or "no images in this folder"
        if found:
            reasons = "no image whose file name is valid UTF-8 (rename the files to annotate them)"
        return fail(f"{shown}: {reasons}: no project made", ExitCode.USAGE)
    try:
        project = open_source(source, None, [os.fspath(path) for path in kept])
    except ProjectError as exc:
        return fail(str(exc), ExitCode.FAILED)
    try:
        print(f"made the annotation project of {shown}: {project.folder}{_location_words(source, project.folder)}")
        print(f"  {_images_words(project.header, project.entries)} in {project.images_root}")
        if project.locked_by is not None:  # another process made it meanwhile and holds it
            print(f"note: {project.locked_by.describe()}")
    finally:
        project.close()
    return ExitCode.OK


def _there_already(folder: Path) -> int:
    """Say what the project at `folder` holds, read without its lock and without writing to it."""
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project_open import read_files

    try:
        header, entries = read_files(folder)
    except ProjectError as exc:
        return fail(str(exc), ExitCode.FAILED)
    root = Path(header["images_root"])
    root = root if root.is_absolute() else (folder / root).resolve()
    print(f"already an annotation project: {folder}; left as it is")
    print(f"  {_images_words(header, entries)} in {root}")
    if (held := _holder(folder)) is not None:
        print(f"note: {held}")
    return ExitCode.OK


def _holder(folder: Path) -> str | None:
    """Who holds the project at `folder` (`LockInfo.describe`, as ``fosp project status`` says it), or why
    it opens read-only; None when this process could take its lock (taken and released at once, as every
    opening does)."""
    from fosp_core.annotation.storage import ProjectLock, StorageError

    lock = ProjectLock(folder / "lock")
    try:
        owner = lock.acquire()
    except StorageError as exc:
        return (f"the project folder is not writable ({exc.reason.removeprefix('folder is not writable: ')}): "
                "it opens read-only")
    lock.release()
    return None if owner is None else owner.describe()


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
