"""N's name-filter ids, kept between presses (app/annotation/worklist_step.within_name_filter): made again when the
filter or the project's entries change, never a stale answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.annotation.worklist_step import within_name_filter
from fosp_core.annotation.entries import ImageEntry


@dataclass(eq=False)  # hashable, as a Project
class _Project:  # what within_name_filter reads of a Project: its entries
    entries: list[ImageEntry] = field(default_factory=list)


def _ids(entries: list[ImageEntry]) -> list[str]:
    return [e.id for e in entries]


def test_the_kept_ids_follow_the_filter_and_the_entries() -> None:
    project = _Project([ImageEntry(id=n, image=f"JPEGImages/{n}.jpg") for n in ("a_Fire", "b_West", "c_Fire")])
    assert _ids(within_name_filter(project.entries, "fire", None, project)) == ["a_Fire", "c_Fire"]
    assert _ids(within_name_filter(project.entries, "fire", "b_West", project)) == ["a_Fire", "b_West", "c_Fire"]
    assert _ids(within_name_filter(project.entries, "west", None, project)) == ["b_West"]
    project.entries.append(ImageEntry(id="d_Fire", image="sub/d_Fire.jpg"))  # an image added to the folder
    assert _ids(within_name_filter(project.entries, "west", None, project)) == ["b_West"]
    assert _ids(within_name_filter(project.entries, "fire", None, project)) == ["a_Fire", "c_Fire", "d_Fire"]
    other = _Project([ImageEntry(id="e_Fire", image="e_Fire.jpg")])  # another folder's project, same filter
    assert _ids(within_name_filter(other.entries, "fire", None, other)) == ["e_Fire"]
    assert _ids(within_name_filter(project.entries[:2], "fire", None)) == ["a_Fire"]  # no project: no keeping
