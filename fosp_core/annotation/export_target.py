"""Which of its own files an export would delete: the check every export runs on its destination.

An export with overwrite replaces its destination folder whole (`fosp_core.data.smokeseg.write_smokeseg`),
so a destination that is, or holds, a folder of the files it reads - a project's images
(``PROJECT/JPEGImages``), the labels it imported, its masks, a video and its masks - would delete them.
`held_file` finds one such file; `project_file_inside` / `project_destination_problem` are the image
export's check (`fosp_core.annotation.export.export_smokeseg`, the app's Export dialog, ``fosp project
export``), `fosp_core.video.export.destination_problem` the video export's.

Folders are compared as the file system sees them (device and inode of the destination against the
folders above each file, resolved), so a destination reached through a symlink, or that is a symlink
to the images folder, counts as the folder it leads to (the writer writes there too, the link kept:
`fosp_core.data.smokeseg.write_smokeseg`), and on a case-insensitive file system (macOS,
Windows) ``project/jpegimages`` counts as ``project/JPEGImages``. An image that is itself a symlink is
held both where the link is and where it leads. A destination that does not exist yet or is empty holds
nothing: that is the usual case, and it costs one ``stat``. Otherwise the folders above the files are
resolved once each and listed once each for their symlinks: no system call per file, a few
microseconds an image (about 50 ms for 20 000 images in one folder). Not covered: a hard link (deleting one
name keeps the data) and files that appear after the check.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fosp_core.annotation.project_files import PROJECT_FILE

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

T = TypeVar("T", str, Path)

__all__ = ["held_file", "holds_message", "inside_message", "project_destination_problem", "project_file_inside"]


class _Holder:
    """Answers "is this folder the destination, or inside it?" for folders above the files, each
    folder on the way resolved and looked at once."""

    def __init__(self, key: tuple[int, int]) -> None:
        self.key = key
        self._real: dict[str, bool] = {}  # a resolved folder -> whether the destination is it or above it
        self._given: dict[str, bool] = {}  # a folder as given -> the same
        self._links: dict[str, frozenset[str]] = {}  # a folder as given -> the names of its symlinks

    def holds_file(self, file: str) -> bool:
        """Whether replacing the destination deletes `file`: it lies in it, or is a symlink to a
        file that does (the names of a folder's symlinks are read once, with its listing)."""
        folder, name = os.path.split(file)
        folder = folder or "."
        if self.holds(folder):
            return True
        links = self._links.get(folder)
        if links is None:
            links = self._links[folder] = _symlink_names(folder)
        return name in links and self.holds(os.path.dirname(os.path.realpath(file)))

    def holds(self, folder: str) -> bool:
        known = self._given.get(folder)
        if known is None:
            known = self._given[folder] = self._holds_real(os.path.realpath(folder))
        return known

    def _holds_real(self, folder: str) -> bool:
        seen: list[str] = []
        path, held = folder, False
        while True:
            if path in self._real:
                held = self._real[path]
                break
            seen.append(path)
            try:
                found = os.stat(path)
            except OSError:
                found = None  # not there (yet): only the folders above it can be the destination
            if found is not None and (found.st_dev, found.st_ino) == self.key:
                held = True
                break
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
        for p in seen:  # below the destination when held; else none of them nor above is it
            self._real[p] = held
        return held


def _symlink_names(folder: str) -> frozenset[str]:
    """Names of the symlinks in `folder` (from its listing: no ``lstat`` per file); none when it
    cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.is_symlink())
    except OSError:
        return frozenset()


def held_file(dst: str | os.PathLike, files: Iterable[T], folders: Iterable[T] = ()) -> T | None:
    """The first of `folders`, then of `files`, that replacing the folder `dst` would delete (`dst` is
    it or lies above it; see the module doc), or None. None at once when `dst` is no folder or an empty
    one (nothing there to lose)."""
    try:
        st = os.stat(dst)
        if not stat.S_ISDIR(st.st_mode):
            return None
        with os.scandir(dst) as entries:
            if next(entries, None) is None:
                return None
    except OSError:
        return None
    holder = _Holder((st.st_dev, st.st_ino))
    for folder in folders:
        if holder.holds(os.fspath(folder)):
            return folder
    return next((file for file in files if holder.holds_file(os.fspath(file))), None)


def holds_message(held: Path, whose: str = "the project's") -> str:
    """The reason an export refuses its destination, naming `held` (after the destination and ": ")."""
    return f"holds {whose} own files (e.g. {held}), which the export would replace; choose another folder"


def project_file_inside(project: Project, dst: str | os.PathLike) -> Path | None:
    """An image, imported label or the state (``project.json`` and the masks beside it) of `project`
    that an export replacing `dst` would delete, or None."""
    root = os.fspath(project.images_root)  # strings: a Path per image costs more than the check itself
    files = (os.path.join(root, rel) for entry in project.entries for rel in (entry.image, entry.label) if rel)
    held = held_file(dst, chain(files, [os.fspath(project.folder / PROJECT_FILE)]))
    return None if held is None else Path(held)


def project_destination_problem(project: Project, dst: str | os.PathLike) -> str | None:
    """Why `project` cannot be exported to `dst` (see `project_file_inside`; also not into the
    project's own folder), or None. `export_smokeseg` raises it as a ProjectError; the Export dialog
    shows it before starting."""
    held = project_file_inside(project, dst)
    if held is not None:
        return holds_message(held)
    return inside_message(dst, project.folder, "the project's own folder")


def inside_message(dst: str | os.PathLike, folder: Path, what: str) -> str | None:
    """The reason an export refuses `dst` when it is `folder` (`what`: "the project's own folder") or lies
    inside it (both resolved: through a link too), a folder that holds masks Replace would delete; None
    when it does not."""
    try:
        Path(dst).resolve().relative_to(folder.resolve())
    except ValueError:
        if not _below_by_identity(Path(dst), folder):
            return None
    return f"is inside {what} {folder}, which holds its masks; choose another folder"


def _below_by_identity(dst: Path, folder: Path) -> bool:
    """Whether `dst` or a folder above it is `folder` itself (device and inode), however its path is spelled:
    on macOS's case-insensitive disks ``.FOSP`` is ``.fosp``, and ``resolve`` keeps the case typed."""
    try:
        key = os.stat(folder)
    except OSError:
        return False
    for above in (dst, *dst.absolute().parents):
        try:
            if os.path.samestat(os.stat(above), key):
                return True
        except OSError:
            continue
    return False
