"""What an opening found in a shared project, for ``fosp project status``: a sync tool's conflicted copies beside
it (`Project.conflicts`, in `fosp_core.annotation.project_conflicts.conflicts_words`'s words) and images with work
whose file is gone from the folder (renamed or removed while the project was closed). The app says the same at its
opening (`app.annotation.opening_notes.shared_findings`); its `Project.listing.missing` is found only by an opening
given the folder's listing (as the app's), so status also looks for the image files of those with
work (`Project.image_path`), a dataset's as a folder's."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["missing_with_work", "shared_notes"]


def missing_with_work(project: Project, missing: list[str]) -> list[str]:
    """The ids of the images with work (not unlabeled) among `missing` (ids whose image file is not found)
    and `Project.listing.missing`, in the project's order."""
    from fosp_core.annotation.document import Status

    gone = set(missing)
    found = set(project.listing.missing)
    return [e.id for e in project.entries if e.id in found or (e.id in gone and e.status != Status.UNLABELED)]


def shared_notes(project: Project, with_work: list[str]) -> list[str]:
    """One line each for the conflicted copies and the images with work gone (`with_work`: their ids, as
    `missing_with_work` has them); [] when there are neither."""
    from fosp_core.annotation.project_conflicts import conflicts_words, gone_words, listed_names

    notes: list[str] = []
    if project.conflicts:
        notes.append(conflicts_words(project.folder, project.conflicts) + ".")
    if missing := [project.entry(image_id).image for image_id in with_work]:
        count = len(missing)
        notes.append(f"{count} image{'' if count == 1 else 's'} with work gone from the folder "
                     f"({listed_names(missing)}): {gone_words(missing, project.images_root)}")
    return notes
