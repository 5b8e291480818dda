"""What Next / Previous Unreviewed (N, Shift+N; `WorklistPanel.step_unreviewed`) step from and among, besides
the worklist's Show: the image the session shows, its document loaded or not yet (N twice before the next image's
mask had loaded stepped from no image: from the first image, N N went back to it), and the images the Images
list's name filter (Ctrl+F) lists - as PgDown / PgUp and the list itself, as labelme's and X-AnyLabeling's file
search is what their Next / Previous walk (s36: N went to images the filter hides). The worklist lists and Home / End
go by the same test (`within_name_filter`), the project's names tested in C (s37)."""

from __future__ import annotations

import fnmatch
import operator
import re
import weakref
from collections.abc import Sequence
from itertools import compress, repeat

from app.annotation.controller import AnnotationController
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project
from fosp_core.session import name_matcher

__all__ = ["shown_image_id", "within_name_filter", "worklist_project"]


def shown_image_id(controller: AnnotationController) -> str | None:
    """The id of the image the session shows: its document's when that is loaded, else the project's id of
    the session's current path (a move made, its mask still being read), None when no project has it."""
    doc, path = controller.document, controller.session.current_path
    if doc is not None and (path is None or controller.image_path == path):
        return doc.image_id
    found = controller.registry.lookup(path)  # the session's path as opened: a dict look-up, no disk
    return None if found is None else found[1]


def worklist_project(controller: AnnotationController, last: Project | None) -> Project | None:
    """The project the worklist lists: the current image's; while the image moved to is still being read (no
    document shown yet) `last`, the one listed before, when still open (N pressed again then stepped in the
    first folder's worklist, not the image's); else the first open one."""
    if controller.project is not None:
        return controller.project
    projects = controller.registry.projects
    moving = controller.session.current_image is None or controller.opening.reading is not None
    if moving and last is not None and any(p is last for p in projects):
        return last
    return projects[0] if projects else None


def within_name_filter(order: Sequence[ImageEntry], pattern: str, keep: str | None,
                       project: Project | None = None) -> list[ImageEntry]:
    """The entries of `order` whose file name the name filter `pattern` lists (the session's test of names),
    and the entry `keep` (the image shown: N steps from its place even when the filter hides it; None: none).
    With the `project` they are of, its names are tested in C (`_matching_ids`) and the ids listed kept for the
    next call while the filter and its entries stay (100 000 entries: 5-10 ms a press instead of 60-120 ms of
    name tests on the GUI thread; the worklist makes them at every change of the filter, s37)."""
    if project is None:
        matches = name_matcher(pattern)
        return [e for e in order if e.id == keep or matches(e.image.rsplit("/", 1)[-1])]
    key = (pattern, weakref.ref(project), len(project.entries))  # entries are added, never renamed
    if (ids := _listed.get(key)) is None:
        _listed.clear()  # one filter kept: the last
        ids = _listed[key] = _matching_ids(project, pattern)
    wanted = ids if keep is None or keep in ids else ids | {keep}
    return list(compress(order, map(wanted.__contains__, map(_ID, order))))


def _matching_ids(project: Project, pattern: str) -> frozenset[str]:
    """The ids of the `project`'s entries whose file name `pattern` lists, as `name_matcher` tests a name (every
    term of the case-folded pattern in the case-folded name; one with ``*``, ``?`` or ``[`` a wildcard matched
    anywhere), each term tested over every name left in C (`map`), not one Python call a name."""
    ids, names = _names_of(project)
    for term in pattern.casefold().split():
        if any(c in term for c in "*?["):
            found = list(map(re.compile(fnmatch.translate(f"*{term}*")).match, names))
        else:
            found = list(map(operator.contains, names, repeat(term)))
        ids, names = list(compress(ids, found)), list(compress(names, found))
    return frozenset(ids)


def _names_of(project: Project) -> tuple[list[str], list[str]]:
    """The `project`'s entry ids and their file names case-folded, made once while its entries stay."""
    key = (weakref.ref(project), len(project.entries))
    if (made := _names.get(key)) is None:
        _names.clear()  # one project's kept: the last
        entries = project.entries
        made = _names[key] = (list(map(_ID, entries)),
                              [image.rsplit("/", 1)[-1].casefold() for image in map(_IMAGE, entries)])
    return made


_ID, _IMAGE = operator.attrgetter("id"), operator.attrgetter("image")
#: the ids the last name filter lists, by (pattern, project, its entry count)
_listed: dict[tuple[str, weakref.ref[Project], int], frozenset[str]] = {}
#: the last project's ids and case-folded names, by (project, its entry count)
_names: dict[tuple[weakref.ref[Project], int], tuple[list[str], list[str]]] = {}
