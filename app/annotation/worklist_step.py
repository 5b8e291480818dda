"""What Next / Previous Unreviewed (N, Shift+N; `WorklistPanel.step_unreviewed`) step from and among, besides
the worklist's Show: the image the session shows, its document loaded or not yet (N twice before the next image's
mask had loaded stepped from no image: from the first image, N N went back to it), and the images the Images
list's name filter (Ctrl+F) lists - as PgDown / PgUp and the list itself, as labelme's and X-AnyLabeling's file
search is what their Next / Previous walk (s36: N went to images the filter hides)."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

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
    and the entry `keep` (the image shown: N steps from its place even when the filter hides it). With the
    `project` they are of, the ids listed are kept for the next N while the filter and its entries stay
    (100 000 entries: 5-10 ms a press instead of 60-120 ms of name tests on the GUI thread)."""
    matches = name_matcher(pattern)
    if project is None:
        return [e for e in order if e.id == keep or matches(e.image.rsplit("/", 1)[-1])]
    key = (pattern, weakref.ref(project), len(project.entries))  # entries are added, never renamed
    if (ids := _listed.get(key)) is None:
        _listed.clear()  # one filter kept: the last
        ids = _listed[key] = frozenset(e.id for e in project.entries if matches(e.image.rsplit("/", 1)[-1]))
    return [e for e in order if e.id in ids or e.id == keep]


#: the ids the last name filter lists, by (pattern, project, its entry count)
_listed: dict[tuple[str, weakref.ref[Project], int], frozenset[str]] = {}
