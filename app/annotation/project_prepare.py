"""Opening annotation projects on the open's worker, for `app.annotation.projects.ProjectRegistry`.

`prepare_projects` opens (or creates) the project of each source folder and maps its images, touching
no registry, so that it runs off the GUI thread (a second for 100 000 images); the GUI thread then
adopts the outcome (`ProjectRegistry.adopt`) or lets it go (`close_prepared`). `read_ahead` reads, on
the same worker, the datasets whose join would read them. Apart from the registry because none of
this needs it: what runs on the worker sits in one module, what the GUI thread keeps in the other.
Code moved from `app.annotation.projects` unchanged; that module re-exports every name here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from app.annotation.set_aside_logs import ListedLogs, list_set_aside
from app.annotation.source_folders import folder_stamp as _mtime
from app.open_words import look_kept_where
from fosp_core.annotation.dataset_listing import DatasetItems, has_new, read_items
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project, ProjectError
from fosp_core.annotation.source_opening import open_source, utf8_only
from fosp_core.session import resolve_texts

__all__ = ["OpenDataset", "OpenedProject", "PreparedProject", "close_prepared", "prepare_projects", "read_ahead"]


@dataclass(frozen=True)
class OpenedProject:
    """The outcome of opening one project: the project or the error, and the source folder; `set_aside`: the
    recovery logs set aside in it, listed where it was opened (by :func:`prepare_projects`; None: not listed)."""

    source: Path
    project: Project | None
    error: ProjectError | None = None
    set_aside: ListedLogs | None = None


@dataclass(frozen=True)
class PreparedProject:
    """A project opened by :func:`prepare_projects` (any thread) for :meth:`ProjectRegistry.adopt`:
    the outcome, the map resolved image path (text) -> (project, image id) made with it, and its source folder's
    modification times then (`source_folders.folder_stamp`)."""

    opened: OpenedProject
    images: dict[str, tuple[Project, str]]
    stamp: tuple[int, ...] | None = None


def prepare_projects(sources: Iterable[tuple[Path, Path | None]],
                     listed: Mapping[Path, Sequence[Path]] | None = None) -> list[PreparedProject]:
    """Open the project of each (source folder, project location or None) of
    :meth:`ProjectRegistry.pending`, and map its images. Touches no registry, so it runs on a
    worker thread: creating the project of 100 000 images takes a second. Hand the result to
    :meth:`ProjectRegistry.adopt`, or :func:`close_prepared` when it is not wanted any more.

    listed: {source folder: every image file the open found in it, as
    :func:`~fosp_core.session.collect_image_paths` gives them (resolved, in order)}, for the
    sources opened as a folder: a new project is made from that listing (the folder is not
    listed again), and the images are mapped without a system call each (`_image_texts`).
    """
    out: list[PreparedProject] = []
    listed = listed or {}
    for source, location in sources:
        paths = listed.get(source)
        # once: a Path's text is Python code; None: a new project is made from the folder listed there, without
        # the names it cannot hold; an existing one takes the images added since (an image opened alone: its folder's)
        raw = None if paths is None else list(map(os.fspath, paths))
        found = None if raw is None else utf8_only(raw)  # the open's listing: resolved paths
        try:
            project = open_source(source, location, raw)  # as `fosp project init` makes it
        except ProjectError as exc:
            out.append(PreparedProject(OpenedProject(source, None, exc), {}, _mtime(source, None)))
            continue
        if project.read_only_reason is None:  # its entries captured here (a big open's worker), not on the GUI thread
            project.compact_in_background = True  # as the controller's adopt sets it
        mapped = dict(zip(_image_texts(project, found), zip(repeat(project), project.ids), strict=True))
        opened = OpenedProject(source, project, set_aside=list_set_aside(project.folder, project.ids))  # not adopting
        look_kept_where(source, project.folder)  # said as it is adopted, the folder not looked at again then
        out.append(PreparedProject(opened, mapped, _mtime(source, project)))
    return out


@dataclass(frozen=True)
class OpenDataset:
    """A dataset's project open in a registry, as the next open's worker needs it to read the dataset ahead of
    the join (`read_ahead`): its source folder, images root, and its entries when the open started."""

    source: Path
    images_root: Path
    entries: tuple[ImageEntry, ...]


def read_ahead(datasets: Iterable[OpenDataset], found: Sequence[str | os.PathLike],
               stage: Callable[[str], object] = lambda _text: None) -> dict[Path, DatasetItems]:
    """{source: the dataset's items (`read_items`)} of each of `datasets` that `found` (the open's listing,
    resolved) gives an image its entries lack: what its join would read (handed to it:
    `ProjectRegistry.adopt_read`). Any thread: the open's worker; `stage` is told each dataset read."""
    out: dict[Path, DatasetItems] = {}
    for dataset in datasets:
        if has_new(dataset.entries, dataset.images_root, found):
            stage(f"Reading the new images of {dataset.source.name or dataset.source} …")
            out[dataset.source] = read_items(dataset.images_root)
    return out


def _image_texts(project: Project, found: list[str] | None) -> list[str]:
    """The resolved path (text) of each of the project's images, in order.

    Each folder is resolved once (100 000 images in 0.5 s); a file is looked at (``lstat``: is it
    a symbolic link?) only when its path in the resolved folder is not among the resolved paths
    `found` (the open's listing): one that is, is no link (100 000 in about 0.05 s).
    """
    root = str(project.images_root)
    entries = project.entries
    if not found:
        return list(resolve_texts(os.path.join(root, e.image) for e in entries))
    real_root = os.path.realpath(root)
    prefix = real_root if real_root.endswith(os.sep) else real_root + os.sep
    known = set(found)
    texts = [prefix + e.image for e in entries]  # an odd one (absolute, "..", "/" on Windows) is never known
    missing = [i for i, text in enumerate(texts) if text not in known]
    for i, text in zip(missing, resolve_texts(os.path.join(root, entries[i].image) for i in missing), strict=True):
        texts[i] = text
    return texts


def close_prepared(prepared: Iterable[PreparedProject]) -> None:
    """Release the projects of :func:`prepare_projects` that will not be adopted (their locks)."""
    for item in prepared:
        if item.opened.project is not None:
            item.opened.project.close()
