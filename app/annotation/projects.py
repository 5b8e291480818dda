"""Which annotation project each opened image belongs to.

Opening a folder or dataset creates or reopens its project (``<folder>/.fosp``; a SmokeSeg dataset's
``JPEGImages/`` opened itself: the dataset's, `fosp_core.annotation.source_choice.folder_source`); a single image
file belongs to the project of its folder (of the dataset, for ``JPEGImages/x.jpg`` and a SMOKE5K ``img/x.jpg``:
`fosp_core.annotation.source_choice`). A project
that another process holds opens read-only; one that cannot be created is reported and its images
are shown without annotation. Images added to a plain folder or a dataset since its project was made join it
when it opens (`fosp_core.annotation.project_listing`), and, while it is open here, when the folder (listed
again only when it changed; from the open's own listing, made on its worker, when it is given:
`ProjectRegistry.adopt`) or the image is opened again (`ProjectRegistry._join`). A dataset's join reads the
dataset for its new images (their reference masks, splits: seconds for 100 000 images); the open's worker reads
it (`read_ahead`, for the datasets `ProjectRegistry.open_datasets` names) and the join applies that reading.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from app.annotation.project_prepare import (  # the open's worker's half (re-exported: importers name it here)
    OpenDataset,
    OpenedProject,
    PreparedProject,
    _image_texts,
    close_prepared,
    prepare_projects,
    read_ahead,
)
from app.annotation.set_aside_logs import list_set_aside
from app.annotation.source_folders import folder_stamp as _mtime
from app.annotation.source_folders import is_dataset as _is_dataset
from app.annotation.source_folders import member_test as _member
from fosp_core.annotation.dataset_listing import DatasetItems, dataset_image_names
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.source_choice import folder_source
from fosp_core.annotation.source_opening import Location, image_source, is_utf8, utf8_only
from fosp_core.annotation.source_opening import new_listing as _new_listing
from fosp_core.annotation.storage import LockInfo
from fosp_core.home_folder import expanded
from fosp_core.io.long_names import fit_name
from fosp_core.session import resolve_texts

__all__ = ["LookedPath", "OpenDataset", "OpenedProject", "PreparedProject", "ProjectRegistry", "close_prepared",
           "is_utf8", "prepare_projects", "project_source", "read_ahead", "reopen_taking_over", "utf8_only"]


def project_source(path: Path, location: Location | None = None) -> Path:
    """The folder whose project annotates `path`: a folder itself, the dataset for a SmokeSeg ``JPEGImages/``
    (`folder_source`: one project whichever way the dataset is opened), or an image file's (`image_source`), the
    projects placed by `location` (None: at their default place). It looks at the disk: the open's worker asks."""
    choose = folder_source if path.is_dir() else image_source
    return choose(path, location) if location is not None else choose(path)


class LookedPath(NamedTuple):
    """An opened path as the open's worker looked at it (:meth:`ProjectRegistry.look`): its project's source
    folder (None: no such path), whether it is a folder, and the modification times of its source folder then
    when that one's project is open (`source_folders.folder_stamp`; else None)."""

    source: Path | None
    is_dir: bool
    stamp: tuple[int, ...] | None


def reopen_taking_over(opened: OpenedProject, owner: LockInfo) -> PreparedProject | ProjectError:
    """The project of `opened` opened again taking its lock from `owner` (a holder on this computer is checked, never
    broken: taken only when its process has ended), its images mapped (each path resolved) and its logs set aside
    listed: Take Over's look at the disk, on any thread (`app.annotation.take_over_wait`), for
    :meth:`ProjectRegistry.replace`. The error when it cannot be opened."""
    old = opened.project
    assert old is not None
    try:
        new = Project.open(old.folder, break_lock=owner if owner.elsewhere else False)
    except ProjectError as exc:
        return exc
    try:
        if new.read_only_reason is None:  # its entries captured here, not on the GUI thread (as `prepare_projects`)
            new.compact_in_background = True
        images = dict(zip(_image_texts(new, None), zip(repeat(new), new.ids), strict=True))
        listed = list_set_aside(new.folder, new.ids)
    except BaseException:
        new.close()
        raise
    return PreparedProject(OpenedProject(opened.source, new, set_aside=listed), images)


def _folder_listing(source: Path, project: Project) -> list[str] | None:
    """The image files (paths as text) of the folder `source` opened again, listed here: a dataset's in its
    images folders (``JPEGImages/``; its root holds none), a plain folder's in it."""
    if not _is_dataset(project):
        return _new_listing(source)
    return [os.path.join(source, name) for name in dataset_image_names(source, [])]


def _resolved_text(raw: str | os.PathLike, folders: dict[str, str]) -> str:
    """``str(Path(raw).expanduser().resolve())``, as :func:`resolve_texts` gives it, with the
    folders resolved so far in `folders` (folder as written -> resolved): a path that is itself a
    symbolic link (or ends in "..", ".") is resolved in full, any other is its resolved folder + name."""
    text = os.path.expanduser(os.fspath(raw))
    folder, name = os.path.split(text)
    if name in ("", ".", "..") or os.path.islink(text):
        return str(Path(text).resolve())
    parent = folders.get(folder)
    if parent is None:
        parent = folders[folder] = os.path.realpath(folder or os.curdir)
    return text if parent == folder else os.path.join(parent, name)


class ProjectRegistry:
    """The projects open in one window and the map image path -> (project, image id)."""

    def __init__(self, projects_root: Path | None = None) -> None:
        #: None: each project at its default location (``.fosp`` beside the images); a folder:
        #: every project inside it instead, the source folders never written (``--screenshot``)
        self.projects_root = projects_root
        self.projects: list[Project] = []
        self._by_source: dict[Path, Project | None] = {}
        self._by_image: dict[str, tuple[Project, str]] = {}  # resolved image path (text) -> ...
        self._prepared: dict[Path, PreparedProject] = {}  # adopted, taken by the next open_for
        self._stamps: dict[Path, tuple[int, ...] | None] = {}  # each open source folder's mtime when its images were mapped
        self._found: list[str] | None = None  # the open's listing (`adopt`), for the next open_for's joins
        self._read: dict[Path, DatasetItems] = {}  # source -> its dataset read by the open's worker (`adopt_read`)
        self._looked: dict[str, LookedPath] = {}  # each path of the open as its worker looked at it (`adopt_looked`)
        self.closed = False  #: :meth:`close` called (the window closing): nothing is taken over any more

    def pending(self, paths: Iterable[str | os.PathLike]) -> list[tuple[Path, Path | None]]:
        """(source folder, project location or None for the default) of each path whose project
        is not open yet, once each: what :func:`prepare_projects` opens."""
        out: dict[Path, Path | None] = {}
        for raw in paths:
            source = self._source_of(raw)
            if source is not None and source not in self._by_source and source not in self._prepared:
                out.setdefault(source, self._location(source))
        return list(out.items())

    @staticmethod
    def _source(raw: str | os.PathLike) -> Path | None:
        path = expanded(raw)  # "~nosuchuser/x": as typed (expanduser raised), no such path
        return project_source(path).resolve() if path.exists() else None

    def _source_of(self, raw: str | os.PathLike) -> Path | None:
        """`_source`, the projects made before looked for among those kept in `projects_root` when set (a SMOKE5K
        image's dataset, its ``img/`` folder's project made before: `image_source`; a ``JPEGImages/`` folder's
        made before: `folder_source`)."""
        source = self._source(raw)
        if source is None or self.projects_root is None:
            return source
        return project_source(expanded(raw), lambda folder: self._location(folder.resolve())).resolve()

    def _location(self, source: Path) -> Path | None:
        if self.projects_root is None:
            return None
        digest = hashlib.sha1(str(source).encode("utf-8")).hexdigest()[:10]
        return self.projects_root / fit_name(source.name or "root", f"-{digest}")  # a long name: cut

    def look(self, paths: Iterable[str | os.PathLike]) -> dict[str, LookedPath]:
        """{path (text): what it is} for `paths`, looked at on the open's worker (its source folder, as
        :meth:`pending` finds it; a share slow to answer holds that thread, not the GUI thread's :meth:`open_for`,
        which takes it through :meth:`adopt_looked`)."""
        out: dict[str, LookedPath] = {}
        for raw in paths:
            source = self._source_of(raw)
            project = self._by_source.get(source) if source is not None else None
            stamp = _mtime(source, project) if source is not None and project is not None else None
            out[os.fspath(raw)] = LookedPath(source, Path(raw).is_dir(), stamp)
        return out

    def adopt(self, prepared: Iterable[PreparedProject], found: Sequence[str | os.PathLike] | None = None) -> None:
        """Take projects opened by :func:`prepare_projects`: the next :meth:`open_for` of their
        sources uses them instead of opening them again. One already open here is closed. `found`: the
        image files the open listed on its worker (resolved, as ``OpenOutcome.found``): a folder opened
        again whose project is open here joins its new images from them (`_join`), not listed again here
        (a dataset's, read there too: `adopt_read`; its paths, looked at there: `adopt_looked`)."""
        self._found = None if found is None else list(map(os.fspath, found))
        for item in prepared:
            source = item.opened.source
            if source in self._by_source or source in self._prepared:
                close_prepared([item])
            else:
                self._prepared[source] = item

    def adopt_read(self, read: Mapping[Path, DatasetItems]) -> None:
        """Take the datasets the open's worker read for their new images (`read_ahead`: {source: items}): the
        next :meth:`open_for`'s joins apply them, not read again here (on the GUI thread)."""
        self._read = dict(read)

    def adopt_looked(self, looked: Mapping[str, LookedPath]) -> None:
        """Take the open's paths as its worker looked at them (:meth:`look`): the next :meth:`open_for` does not
        look at them again (on the GUI thread)."""
        self._looked = dict(looked)

    def open_for(self, paths: Iterable[str | os.PathLike]) -> list[OpenedProject]:
        """Open (once) the project of every path; returns what was newly opened or failed."""
        out: list[OpenedProject] = []
        looked, self._looked = self._looked, {}
        for raw in paths:
            seen = looked.get(os.fspath(raw))  # looked at on the open's worker
            source = seen.source if seen is not None else self._source_of(raw)
            if source is not None and source in self._by_source:
                self._join(source, raw, seen)  # open already: an image added to its folder since joins it
                continue
            if source is None:
                continue
            item = self._prepared.pop(source, None) or prepare_projects([(source, self._location(source))])[0]
            project = item.opened.project
            self._by_source[source] = project
            self._stamps[source] = item.stamp  # taken where it was opened
            if project is not None:
                self.projects.append(project)
                self._by_image.update(item.images)
            out.append(item.opened)
        for item in self._prepared.values():  # adopted, but not among the paths: not wanted
            close_prepared([item])
        self._prepared.clear()
        self._found, self._read = None, {}
        return out

    def open_datasets(self, paths: Iterable[str | os.PathLike]) -> list[OpenDataset]:
        """The datasets' projects open here that `paths` open again (a dataset, an image of it): a new image
        of theirs joins through a reading of the dataset, which the open's worker makes (`read_ahead`)."""
        if not any(map(_is_dataset, self._by_source.values())):
            return []  # no path looked at: the usual opening
        out: dict[Path, OpenDataset] = {}
        for raw in paths:
            source = self._source_of(raw)
            project = self._by_source.get(source) if source is not None else None
            if source is not None and project is not None and _is_dataset(project) and source not in out:
                out[source] = OpenDataset(source, project.images_root, tuple(project.entries))
        return list(out.values())


    def _join(self, source: Path, raw: str | os.PathLike, seen: LookedPath | None = None) -> None:
        """Add to the open project of `source` the images of `raw` (a folder: its listing; a file: itself)
        it does not have: added to the folder while the project was open (`Project.add_listed`). `seen`: `raw` as
        the open's worker looked at it (:meth:`look`), not looked at again here."""
        project = self._by_source.get(source)
        if project is None:
            return
        is_dir = seen.is_dir if seen is not None else Path(raw).is_dir()
        if is_dir:  # listed again only when the folder changed since (100 000 images: seconds)
            stamp = seen.stamp if seen is not None else _mtime(source, project)
            if stamp is not None and stamp == self._stamps.get(source):
                return
            self._stamps[source] = stamp
        if is_dir and self._found is not None:  # listed and resolved on the open's worker
            mine = _member(source, project)
            unknown = [t for t in utf8_only(self._found) if t not in self._by_image and mine(t)]  # new ones alone
        else:
            listed = _folder_listing(source, project) if is_dir else [os.fspath(raw)]
            unknown = [t for t in utf8_only(resolve_texts(listed or ())) if t not in self._by_image]
        if not unknown:
            return
        changes = project.add_listed(unknown, read=self._read.get(source))
        for image_id in [*changes.added, *changes.renamed]:
            self._by_image[next(resolve_texts((project.image_path(image_id),)))] = (project, image_id)

    def take_over(self, opened: OpenedProject, owner: LockInfo) -> OpenedProject:
        """Reopen the project of `opened` (read-only: `owner`, on another computer, holds its lock)
        taking the lock from `owner` - from no other process that took it since - as the user
        chose (`app.annotation.lock_prompt`), here and now (:func:`reopen_taking_over`, then :meth:`replace`;
        the window reopens it on a thread: `app.annotation.take_over_wait`). Returns the outcome, or `opened`
        as it was when the reopening failed."""
        return self.replace(opened, reopen_taking_over(opened, owner) if self.holds(opened) else None)

    def holds(self, opened: OpenedProject) -> bool:
        """Whether `opened`'s project is the one open here for its source (what Take Over reopens)."""
        return not self.closed and opened.project is not None and self._by_source.get(opened.source) is opened.project

    def replace(self, opened: OpenedProject, reopened: PreparedProject | ProjectError | None) -> OpenedProject:
        """The project of `opened` replaced here by `reopened` (:func:`reopen_taking_over`'s, made on a thread), the
        old one closed; read-only still when another took the lock since (it names that holder). Returns the new
        outcome, or `opened` as it was when the reopening failed or `opened` is no longer the one open here (the
        reopened project closed then). No look at the disk: its images were mapped where it was reopened."""
        old = opened.project
        if not isinstance(reopened, PreparedProject) or old is None or not self.holds(opened):
            if isinstance(reopened, PreparedProject):
                close_prepared([reopened])
            return opened
        new = reopened.opened.project
        assert new is not None
        self.projects[self.projects.index(old)] = new
        self._by_source[opened.source] = new
        self._by_image = {key: value for key, value in self._by_image.items() if value[0] is not old}
        self._by_image.update(reopened.images)
        old.close()
        return reopened.opened

    def opened(self, project: Project) -> OpenedProject | None:
        """`project` with its source folder, as opened here; None when it is not open here."""
        return next((OpenedProject(s, p) for s, p in self._by_source.items() if p is project), None)

    def lookup(self, image_path: str | os.PathLike | None) -> tuple[Project, str] | None:
        """(project, image id) of an image path, or None when no open project has it."""
        if image_path is None:
            return None
        return self._by_image.get(self.resolved(image_path))

    def resolved(self, image_path: str | os.PathLike) -> str:
        """`image_path` resolved (text, as :func:`resolve_texts` gives it): as it is when an open project maps it
        so (the session's paths, resolved where the open ran: the image shown is not looked at on the disk again,
        which a share that stopped answering holds), else looked at."""
        text = os.fspath(image_path)
        return text if text in self._by_image else next(resolve_texts((text,)))

    def lookup_pass(self) -> Callable[[str | os.PathLike | None], tuple[Project, str] | None]:
        """A :meth:`lookup` for one pass over many paths (Compare's refresh): the same answers, each
        folder resolved once for the pass instead of once per path (1000 images in two folders: one
        ``lstat`` per path, a link or not, and a few per folder, instead of ~7 per path). Make a
        new one for each pass: a folder moved or relinked since is not seen by this one."""
        folders: dict[str, str] = {}
        by_image = self._by_image

        def lookup(image_path: str | os.PathLike | None) -> tuple[Project, str] | None:
            if image_path is None:
                return None
            return by_image.get(_resolved_text(image_path, folders))

        return lookup

    def lookup_many(self, image_paths: Iterable[str | os.PathLike | None]) -> list[tuple[Project, str] | None]:
        """:meth:`lookup` of each path, in order, each folder resolved once (:meth:`lookup_pass`)."""
        return list(map(self.lookup_pass(), image_paths))

    def close(self) -> None:
        """Release every project's lock."""
        self.closed = True
        for project in self.projects:
            project.close()
